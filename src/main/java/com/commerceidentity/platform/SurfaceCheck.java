package com.commerceidentity.platform;

import com.commerceidentity.sync.MalformedPageException;
import com.commerceidentity.sync.PageRequest;
import com.commerceidentity.sync.SurfaceUnavailableException;
import com.commerceidentity.sync.SurfaceWalker;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Locale;
import java.util.Map;

/**
 * What one cheap request for a surface (its first page, one record long) said about the store's credentials, for
 * {@code POST /stores/{id}/check}.
 *
 * @param outcome what ops have to do about it
 * @param message the platform's own words (its error message), or a short note when it said nothing
 * @param status  the HTTP status of the answer, 0 when there was none
 */
public record SurfaceCheck(Outcome outcome, String message, int status) {

    public enum Outcome {
        /** The surface can be synced with these credentials. */
        OK,
        /** The platform does not accept the credentials (wrong, revoked, expired, refused sign-in). */
        AUTH_REFUSED,
        /** The credentials are accepted but lack the scope / ACL resource / permission this surface needs. */
        SCOPE_MISSING,
        /** The store's plan or version does not offer this surface. */
        UNAVAILABLE,
        /** Anything else (store down, an answer we cannot read): the message says what. */
        FAILED;

        public String id() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    /**
     * How most platforms answer: a 2xx page that reads as a page is ok (one the walker refuses as an error, such as
     * GraphQL errors, is unavailable), 401 auth refused, 403 scope missing, 404 unavailable, anything else failed.
     * A module whose platform answers otherwise overrides {@link PlatformModule#check}.
     */
    public static SurfaceCheck standard(SurfaceWalker walker, PageRequest request, int status, String body,
                                        Map<String, String> headers) {
        if (status >= 200 && status < 300) {
            try {
                walker.read(request, body, headers);
                return new SurfaceCheck(Outcome.OK, "listed", status);
            } catch (SurfaceUnavailableException e) {
                return new SurfaceCheck(Outcome.UNAVAILABLE, e.getMessage(), status);
            } catch (MalformedPageException e) {
                return new SurfaceCheck(Outcome.FAILED, e.getMessage(), status);
            }
        }
        Outcome outcome = switch (status) {
            case 401 -> Outcome.AUTH_REFUSED;
            case 403 -> Outcome.SCOPE_MISSING;
            case 404 -> Outcome.UNAVAILABLE;
            default -> Outcome.FAILED;
        };
        return new SurfaceCheck(outcome, platformMessage(body), status);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * The message in an error body as platforms write it: {@code message}, {@code title}, {@code errors} (a string,
     * or the first element's {@code message}), {@code error_description}; else the body itself, shortened.
     */
    public static String platformMessage(String body) {
        if (body == null || body.isBlank()) {
            return "(no message)";
        }
        try {
            JsonNode root = JSON.readTree(body);
            if (root.isTextual()) {
                return root.asText();
            }
            for (String field : new String[] {"message", "title", "error_description", "error"}) {
                if (root.path(field).isTextual()) {
                    return root.path(field).asText();
                }
            }
            JsonNode errors = root.path("errors");
            if (errors.isTextual()) {
                return errors.asText();
            }
            if (errors.isArray() && !errors.isEmpty()) {
                JsonNode first = errors.get(0);
                return first.isTextual() ? first.asText() : first.path("message").asText(first.toString());
            }
        } catch (Exception notJson) {
            // fall through: the body as it came
        }
        return body.length() > 300 ? body.substring(0, 300) + "…" : body;
    }
}
