package com.commerceidentity.http;

/**
 * A value from a request, made safe to log: control characters are written as escapes. A store id of
 * {@code eu%0D%0A2026-... INFO forged} in a URL would otherwise start a line of its own in the log, one an
 * operator (or a log shipper) takes for the app's own.
 */
public final class LogSafe {
    private LogSafe() {
    }

    /** @return the value as text with CR, LF, TAB and every other control character escaped; "null" for null */
    public static String of(Object value) {
        String s = String.valueOf(value);
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean control = Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
            if (control && out == null) {
                out = new StringBuilder(s.length() + 16).append(s, 0, i);
            }
            if (out != null) {
                if (!control) {
                    out.append(c);
                } else if (c == '\r') {
                    out.append("\\r");
                } else if (c == '\n') {
                    out.append("\\n");
                } else if (c == '\t') {
                    out.append("\\t");
                } else {
                    out.append(String.format("\\u%04x", (int) c));
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
