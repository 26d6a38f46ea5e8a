package org.eucadb.support.servlet;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.eucadb.api.auth.SignedRequest;
import org.eucadb.support.io.Bodies;

/** A servlet request as the API handlers take it, and their answer written back. */
public final class ServletExchange {
    private ServletExchange() {
    }

    /**
     * The request as SigV4 sees it: method, raw path and query, every header with every value,
     * and at most {@code bodyLimit} bytes of body (a caller that refuses bodies over N reads N + 1
     * to tell them apart; the rest of a longer body is discarded, see {@link Bodies#readRefusable}).
     */
    public static SignedRequest read(HttpServletRequest req, int bodyLimit) throws IOException {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String name : Collections.list(req.getHeaderNames())) {
            headers.put(name, new ArrayList<>(Collections.list(req.getHeaders(name))));
        }
        byte[] body;
        try (InputStream in = req.getInputStream()) {
            body = Bodies.readRefusable(in, bodyLimit, req.getContentLengthLong());
        }
        String path = req.getRequestURI();
        return new SignedRequest(req.getMethod(), path == null ? "/" : path,
                req.getQueryString() == null ? "" : req.getQueryString(), headers, body);
    }

    /** Writes a whole answer: status, content type, further headers, body. */
    public static void write(HttpServletResponse resp, int status, String contentType, Map<String, String> headers,
            byte[] body) throws IOException {
        resp.setStatus(status);
        resp.setContentType(contentType);
        headers.forEach(resp::setHeader);
        resp.setContentLength(body.length);
        resp.getOutputStream().write(body);
    }
}
