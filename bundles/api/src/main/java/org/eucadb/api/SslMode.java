package org.eucadb.api;

import java.util.Locale;

/** pgjdbc's {@code sslmode} values. DB VM endpoints accept only the ones that encrypt. */
public enum SslMode {
    DISABLE,
    ALLOW,
    PREFER,
    REQUIRE,
    VERIFY_CA,
    VERIFY_FULL;

    /** The value pgjdbc and libpq use: {@code verify-full}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** @throws InvalidValueException naming {@code field} and the modes in {@code accepted} */
    public static SslMode parse(String field, String value, SslMode... accepted) {
        StringBuilder names = new StringBuilder();
        for (SslMode m : accepted) {
            if (value != null && m.id().equalsIgnoreCase(value.trim())) {
                return m;
            }
            names.append(names.length() == 0 ? "" : "|").append(m.id());
        }
        throw new InvalidValueException(field, value, names.toString());
    }
}
