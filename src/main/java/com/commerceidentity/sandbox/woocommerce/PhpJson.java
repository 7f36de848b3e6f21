package com.commerceidentity.sandbox.woocommerce;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON exactly as PHP's {@code json_encode($value)} (flags 0, what {@code wp_json_encode} uses) writes it: no
 * spaces, {@code /} escaped as {@code \/}, every non-ASCII UTF-16 unit as a lower-case {@code \\uXXXX}. The
 * webhook signature is computed over these bytes, so a receiver that re-serialises with an ordinary JSON
 * library cannot verify it; the REST server writes its bodies the same way.
 */
final class PhpJson {

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PhpJson() {
    }

    /** What the REST server sends: PHP objects (stdClass/associative arrays with keys) stay objects. */
    static String encode(JsonNode node) {
        StringBuilder out = new StringBuilder(256);
        write(out, node, false);
        return out.toString();
    }

    /**
     * A webhook body: RestApiUtil::get_endpoint_data() round-trips the response through
     * {@code json_decode(..., true)}, which turns an empty object into an empty PHP array, written as {@code []}.
     */
    static byte[] webhookBody(JsonNode node) {
        StringBuilder out = new StringBuilder(1024);
        write(out, node, true);
        return out.toString().trim().getBytes(StandardCharsets.UTF_8);
    }

    private static void write(StringBuilder out, JsonNode node, boolean decodedArrays) {
        switch (node.getNodeType()) {
            case OBJECT -> {
                if (node.isEmpty() && decodedArrays) {
                    out.append("[]");
                    return;
                }
                out.append('{');
                boolean first = true;
                for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (!first) {
                        out.append(',');
                    }
                    first = false;
                    string(out, field.getKey());
                    out.append(':');
                    write(out, field.getValue(), decodedArrays);
                }
                out.append('}');
            }
            case ARRAY -> {
                out.append('[');
                for (int i = 0; i < node.size(); i++) {
                    if (i > 0) {
                        out.append(',');
                    }
                    write(out, node.get(i), decodedArrays);
                }
                out.append(']');
            }
            case STRING -> string(out, node.textValue());
            case NUMBER -> out.append(node.isIntegralNumber() ? node.bigIntegerValue().toString() : decimal(node.decimalValue()));
            case BOOLEAN -> out.append(node.booleanValue());
            case NULL, MISSING -> out.append("null");
            default -> string(out, node.asText());
        }
    }

    /** PHP 7.1+ (serialize_precision -1) writes a float that happens to be whole with a trailing ".0". */
    private static String decimal(BigDecimal value) {
        BigDecimal plain = value.stripTrailingZeros();
        return plain.scale() <= 0 ? plain.toPlainString() + ".0" : plain.toPlainString();
    }

    private static void string(StringBuilder out, String text) {
        out.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e && c != 0x7f) {
                        out.append("\\u").append(HEX[c >> 12 & 0xf]).append(HEX[c >> 8 & 0xf])
                                .append(HEX[c >> 4 & 0xf]).append(HEX[c & 0xf]);
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
