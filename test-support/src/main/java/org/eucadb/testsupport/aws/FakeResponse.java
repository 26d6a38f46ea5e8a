package org.eucadb.testsupport.aws;

import java.nio.charset.StandardCharsets;

/** What a fake AWS service answers. */
public record FakeResponse(int status, String contentType, byte[] body) {
    public static FakeResponse xml(int status, String xml) {
        return new FakeResponse(status, "text/xml;charset=UTF-8", xml.getBytes(StandardCharsets.UTF_8));
    }
}
