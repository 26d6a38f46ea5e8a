package org.eucadb.lifecycle;

import java.util.regex.Pattern;

/** CIDR syntax check (IPv4 a.b.c.d/n, IPv6 …/n), without name resolution. */
final class Cidr {
    private static final Pattern V4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})/(\\d{1,2})");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:]{2,39}/(\\d{1,3})");

    private Cidr() {
    }

    static boolean valid(String s) {
        var m4 = V4.matcher(s);
        if (m4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(m4.group(i)) > 255) {
                    return false;
                }
            }
            return Integer.parseInt(m4.group(5)) <= 32;
        }
        var m6 = V6.matcher(s);
        if (!m6.matches() || Integer.parseInt(m6.group(1)) > 128) {
            return false;
        }
        String addr = s.substring(0, s.indexOf('/'));
        if (addr.contains(":::") || (addr.startsWith(":") && !addr.startsWith("::"))
                || (addr.endsWith(":") && !addr.endsWith("::"))) {
            return false;
        }
        int doubleColons = addr.split("::", -1).length - 1;
        if (doubleColons > 1) {
            return false;
        }
        String[] groups = addr.replace("::", ":x:").split(":");
        int count = 0;
        for (String g : groups) {
            if (g.isEmpty() || g.equals("x")) {
                continue;
            }
            if (g.length() > 4) {
                return false;
            }
            count++;
        }
        return doubleColons == 1 ? count < 8 : count == 8;
    }
}
