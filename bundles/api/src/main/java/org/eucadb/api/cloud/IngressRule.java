package org.eucadb.api.cloud;

/** Inbound TCP traffic allowed to a port from a CIDR. */
public record IngressRule(int port, String cidr) {
}
