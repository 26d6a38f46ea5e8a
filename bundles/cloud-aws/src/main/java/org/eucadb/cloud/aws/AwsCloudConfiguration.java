package org.eucadb.cloud.aws;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Metatype of {@code org.eucadb.cloud.aws}; a name's dot is spelled {@code _} here (DS mapping). */
@ObjectClassDefinition(name = "eucadb cloud-aws", description = "DB VMs on AWS or Eucalyptus through the EC2, "
        + "AutoScaling and IAM APIs.")
@interface AwsCloudConfiguration {
    @AttributeDefinition(required = false, description = "EC2 API URL (Eucalyptus: its compute endpoint; AWS: empty,"
            + " the region's)")
    String ec2_endpoint();

    @AttributeDefinition(required = false, description = "AutoScaling API URL (empty: the region's)")
    String autoscaling_endpoint();

    @AttributeDefinition(required = false, description = "IAM API URL (empty: AWS's global endpoint)")
    String iam_endpoint();

    @AttributeDefinition(required = false, description = "region name")
    String region() default AwsCloudConfig.DEFAULT_REGION;

    @AttributeDefinition(description = "file (mode 0600) with aws_access_key_id and aws_secret_access_key")
    String credentials_file();

    @AttributeDefinition(required = false, description = "the port PostgreSQL listens on in the DB VM image")
    int db_port() default 5432;

    @AttributeDefinition(required = false, description = "the instance address the front end dials: private or public")
    String instance_address() default "private";

    @AttributeDefinition(required = false, description = "device the data volume is attached as")
    String volume_device() default AwsCloudConfig.DEFAULT_DEVICE;

    @AttributeDefinition(required = false, description = "volume type of new data volumes (empty: the cloud's default)")
    String volume_type();

    @AttributeDefinition(required = false, description = "IAM path of the roles and instance profiles eucadb makes")
    String iam_path() default AwsCloudConfig.DEFAULT_IAM_PATH;
}
