package org.eucadb.cloudwatch.http;

import static org.eucadb.cloudwatch.http.ApiFixture.errorCode;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import software.amazon.awssdk.services.cloudwatch.model.CloudWatchException;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;

/** GetMetricWidgetImage over the SDK (CBOR) and awscli (Query): real PNGs of the requested size. */
public class MetricWidgetImageApiTest {
    /** JFreeChart's first series colour, and the one annotations are drawn in. */
    private static final int SERIES_RGB = 0xFF5555;
    private static final int ANNOTATION_RGB = 0xD62728;
    private static ApiFixture fx;

    @BeforeClass
    public static void start() throws Exception {
        fx = ApiFixture.start();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MINUTES);
        List<MetricDatum> data = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            data.add(MetricDatum.builder().metricName("CPU").dimensions(Dimension.builder().name("Host").value("a")
                    .build()).timestamp(now.minusSeconds(i * 120)).value(20.0 + (i % 7) * 10).build());
        }
        fx.cw.putMetricData(r -> r.namespace("App/Graph").metricData(data));
    }

    @AfterClass
    public static void stop() throws Exception {
        fx.close();
    }

    private static BufferedImage image(String widget) throws IOException {
        byte[] png = fx.cw.getMetricWidgetImage(r -> r.metricWidget(widget).outputFormat("png")).metricWidgetImage()
                .asByteArray();
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue("a PNG that decodes", img != null);
        return img;
    }

    private static int pixels(BufferedImage img, int rgb) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xFFFFFF) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    public void aTimeSeriesWidgetIsAPngOfTheRequestedSizeWithItsLineAndAnnotation() throws Exception {
        BufferedImage img = image("{\"metrics\":[[\"App/Graph\",\"CPU\",\"Host\",\"a\",{\"stat\":\"Maximum\"}]],"
                + "\"view\":\"timeSeries\",\"period\":300,\"start\":\"-PT3H\",\"end\":\"P0D\",\"width\":640,"
                + "\"height\":300,\"title\":\"CPU of a\",\"yAxis\":{\"left\":{\"min\":0,\"max\":100,\"label\":\"%\"}},"
                + "\"annotations\":{\"horizontal\":[{\"value\":75,\"label\":\"High\"}]},\"legend\":{\"position\":\"hidden\"}}");
        assertEquals(640, img.getWidth());
        assertEquals(300, img.getHeight());
        assertTrue("the series is drawn", pixels(img, SERIES_RGB) > 50);
        assertTrue("the annotation is drawn", pixels(img, ANNOTATION_RGB) > 50);
    }

    @Test
    public void defaultsExpressionsAndRepeatedRowsDraw() throws Exception {
        BufferedImage img = image("{\"metrics\":[[\"App/Graph\",\"CPU\",\"Host\",\"a\",{\"id\":\"m1\","
                + "\"visible\":false}],[\".\",\".\",\".\",\".\",{\"id\":\"m2\",\"stat\":\"Minimum\"}],"
                + "[{\"expression\":\"m1 - m2\",\"label\":\"Spread\"}]],\"legend\":{\"position\":\"hidden\"}}");
        assertEquals(MetricWidget.DEFAULT_WIDTH, img.getWidth());
        assertEquals(MetricWidget.DEFAULT_HEIGHT, img.getHeight());
        assertTrue("two series are drawn", pixels(img, SERIES_RGB) > 50);
    }

    @Test
    public void aMetricWithoutDataDrawsNoLine() throws Exception {
        BufferedImage img = image("{\"metrics\":[[\"App/Graph\",\"Nothing\"]],\"width\":300,\"height\":200,"
                + "\"legend\":{\"position\":\"hidden\"}}");
        assertEquals(300, img.getWidth());
        assertEquals(0, pixels(img, SERIES_RGB));
        // With its legend, the series' colour appears there only.
        BufferedImage legend = image("{\"metrics\":[[\"App/Graph\",\"Nothing\"]],\"width\":300,\"height\":200}");
        assertTrue(pixels(legend, SERIES_RGB) > 0);
    }

    @Test
    public void badWidgetsAreRefusedByField() {
        assertBad("InvalidParameterValue", "MetricWidget", "{\"metrics\": [");
        assertBad("InvalidParameterValue", "MetricWidget.metrics", "{\"metrics\": []}");
        assertBad("InvalidParameterValue", "MetricWidget.width", "{\"metrics\":[[\"A\",\"B\"]],\"width\":5000}");
        assertBad("InvalidParameterValue", "MetricWidget.view", "{\"metrics\":[[\"A\",\"B\"]],\"view\":\"pie\"}");
        assertBad("InvalidParameterValue", "MetricWidget.period", "{\"metrics\":[[\"A\",\"B\"]],\"period\":7}");
        assertBad("InvalidParameterValue", "MetricWidget.start", "{\"metrics\":[[\"A\",\"B\"]],\"start\":\"yesterday\"}");
        assertBad("InvalidParameterValue", "MetricWidget.metrics[0]", "{\"metrics\":[[\"A\",\"B\",\"Host\"]]}");
        assertBad("InvalidParameterValue", "MetricWidget.metrics[0][0]", "{\"metrics\":[[\".\",\"B\"]]}");
        assertBad("InvalidParameterValue", "MetricWidget.metrics[1].expression",
                "{\"metrics\":[[\"A\",\"B\"],[{\"expression\":\"m1 +\"}]]}");
        assertBad("ValidationError", "MetricWidget.metrics[1]",
                "{\"metrics\":[[\"A\",\"B\"],[{\"expression\":\"m7 * 2\"}]]}");
        assertBad("InvalidParameterValue", "MetricWidget.annotations.horizontal[0].value",
                "{\"metrics\":[[\"A\",\"B\"]],\"annotations\":{\"horizontal\":[{\"value\":\"high\"}]}}");
        assertEquals("InvalidParameterValue", errorCode(() -> fx.cw.getMetricWidgetImage(r -> r
                .metricWidget("{\"metrics\":[[\"A\",\"B\"]]}").outputFormat("gif"))));
        assertEquals("MissingParameter", errorCode(() -> fx.cw.getMetricWidgetImage(r -> r.outputFormat("png"))));
    }

    private static void assertBad(String code, String field, String widget) {
        CloudWatchException e = ApiFixture.error(() -> fx.cw.getMetricWidgetImage(r -> r.metricWidget(widget)));
        assertEquals(e.getMessage(), code, e.awsErrorDetails().errorCode());
        assertTrue(e.awsErrorDetails().errorMessage(), e.awsErrorDetails().errorMessage().contains(field));
    }

    @Test
    public void debiansAwscliGetsTheImageOverQuery() throws Exception {
        String out = fx.awscli("get-metric-widget-image", "--metric-widget",
                "{\"metrics\":[[\"App/Graph\",\"CPU\",\"Host\",\"a\"]],\"width\":320,\"height\":240}",
                "--output-format", "png", "--query", "MetricWidgetImage", "--output", "text");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(out.trim())));
        assertEquals(320, img.getWidth());
        assertEquals(240, img.getHeight());
    }
}
