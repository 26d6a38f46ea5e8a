package org.eucadb.testsupport.aws;

import java.util.UUID;
import java.util.function.Consumer;

/**
 * The awsquery protocol's replies (AutoScaling, IAM): {@code <XResponse><XResult>...</XResult>
 * <ResponseMetadata/></XResponse>}, the result first (the SDK unwraps the first child), and
 * {@code <ErrorResponse>} errors.
 */
final class QueryXml {
    private QueryXml() {
    }

    /** A reply whose {@code XResult} {@code result} writes; no result element when it is null. */
    static FakeResponse ok(String namespace, String action, Consumer<Xml> result) {
        Xml x = new Xml().root(action + "Response", namespace);
        if (result != null) {
            x.open(action + "Result");
            result.accept(x);
            x.close(action + "Result");
        }
        x.open("ResponseMetadata").element("RequestId", UUID.randomUUID()).close("ResponseMetadata");
        return FakeResponse.xml(200, x.close(action + "Response").toString());
    }

    static FakeResponse error(String namespace, int status, String code, String message) {
        return FakeResponse.xml(status, new Xml().root("ErrorResponse", namespace).open("Error")
                .element("Type", status >= 500 ? "Receiver" : "Sender").element("Code", code)
                .element("Message", message).close("Error").element("RequestId", UUID.randomUUID())
                .close("ErrorResponse").toString());
    }
}
