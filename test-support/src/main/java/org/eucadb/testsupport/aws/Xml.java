package org.eucadb.testsupport.aws;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;

/** A small XML writer for the fakes' replies: elements with escaped text, nothing more. */
public final class Xml {
    private final StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    /** Opens the root element in {@code namespace}. */
    public Xml root(String name, String namespace) {
        sb.append('<').append(name).append(" xmlns=\"").append(namespace).append("\">");
        return this;
    }

    public Xml open(String name) {
        sb.append('<').append(name).append('>');
        return this;
    }

    public Xml close(String name) {
        sb.append("</").append(name).append('>');
        return this;
    }

    /** {@code <name>value</name>}; nothing when value is null. */
    public Xml element(String name, Object value) {
        if (value == null) {
            return this;
        }
        String text = value instanceof Instant i ? i.toString() : value.toString();
        sb.append('<').append(name).append('>');
        escape(text);
        sb.append("</").append(name).append('>');
        return this;
    }

    /** An EC2 {@code tagSet} of {@code item}s. */
    public Xml tagSet(Map<String, String> tags) {
        open("tagSet");
        tags.forEach((k, v) -> open("item").element("key", k).element("value", v).close("item"));
        return close("tagSet");
    }

    /** EC2's list of plain values: {@code <name><item>v</item>...</name>}. */
    public Xml items(String name, Collection<?> values) {
        open(name);
        values.forEach(v -> element("item", v));
        return close(name);
    }

    /** The awsquery list of plain values (AutoScaling, IAM): {@code <name><member>v</member>...</name>}. */
    public Xml members(String name, Collection<?> values) {
        open(name);
        values.forEach(v -> element("member", v));
        return close(name);
    }

    /** An awsquery {@code Tags} list: {@code member}s of {@code Key} and {@code Value}. */
    public Xml memberTags(Map<String, String> tags) {
        open("Tags");
        tags.forEach((k, v) -> open("member").element("Key", k).element("Value", v).close("member"));
        return close("Tags");
    }

    private void escape(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> sb.append("&lt;");
                case '>' -> sb.append("&gt;");
                case '&' -> sb.append("&amp;");
                case '"' -> sb.append("&quot;");
                default -> sb.append(c);
            }
        }
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
