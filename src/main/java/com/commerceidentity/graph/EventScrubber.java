package com.commerceidentity.graph;

import com.commerceidentity.feed.FeedEvent;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Removes erased accounts' personal data from stored event documents. In each snapshot the erased account's
 * own entry loses its email, phone, names and link evidence; golden attributes and other accounts' link
 * evidence lose any value the erased account ever had (they may have been chosen or matched from it). Its access
 * facts go too, in snapshots and in the before/after of its access changes (tags are free text about the person).
 * Keys, ids, statuses and timestamps stay, so the feed's history still reads as a sequence of changes.
 */
final class EventScrubber {
    static final List<String> PERSONAL_FIELDS = List.of("email", "emailNormalized", "phone", "phoneE164",
            "firstName", "lastName");
    private static final List<String> GOLDEN_FIELDS = List.of("email", "phone", "firstName", "lastName");

    private EventScrubber() {
    }

    /** The events whose document changed, with their new documents; the others are left out. */
    static List<FeedEvent> scrub(List<FeedEvent> events, Set<String> erasedKeys, ObjectMapper json) {
        List<ObjectNode> docs = new ArrayList<>(events.size());
        Set<String> values = new HashSet<>();
        for (FeedEvent e : events) {
            ObjectNode doc = parse(json, e);
            docs.add(doc);
            for (JsonNode a : doc.path("identity").path("accounts")) {
                if (erasedKeys.contains(a.path("key").asText())) {
                    PERSONAL_FIELDS.forEach(f -> addText(values, a.get(f)));
                    addText(values, a.path("link").get("value"));
                }
            }
        }
        List<FeedEvent> out = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            ObjectNode doc = docs.get(i);
            if (scrub(doc, erasedKeys, values)) {
                FeedEvent e = events.get(i);
                out.add(new FeedEvent(e.seq(), e.type(), e.identityId(), e.accountKey(), e.occurredAt(),
                        doc.toString().getBytes(StandardCharsets.UTF_8)));
            }
        }
        return out;
    }

    private static boolean scrub(ObjectNode doc, Set<String> erasedKeys, Set<String> values) {
        boolean changed = false;
        // Access facts hold tags, free text a shop may have written about the person.
        if (erasedKeys.contains(doc.path("accountKey").asText())) {
            changed |= doc.remove("access") != null;
        }
        JsonNode identity = doc.path("identity");
        if (identity.path("golden") instanceof ObjectNode golden) {
            for (String f : GOLDEN_FIELDS) {
                changed |= removeIf(golden, f, values);
            }
        }
        for (JsonNode a : identity.path("accounts")) {
            if (!(a instanceof ObjectNode account)) {
                continue;
            }
            boolean erased = erasedKeys.contains(account.path("key").asText());
            if (erased) {
                for (String f : PERSONAL_FIELDS) {
                    changed |= account.remove(f) != null;
                }
                changed |= account.remove("access") != null;
            }
            if (account.path("link") instanceof ObjectNode link) {
                changed |= erased ? link.remove("value") != null : removeIf(link, "value", values);
            }
        }
        return changed;
    }

    private static boolean removeIf(ObjectNode node, String field, Set<String> values) {
        JsonNode v = node.get(field);
        if (v != null && v.isTextual() && values.contains(v.asText())) {
            node.remove(field);
            return true;
        }
        return false;
    }

    private static void addText(Set<String> values, JsonNode v) {
        if (v != null && v.isTextual() && !v.asText().isEmpty()) {
            values.add(v.asText());
        }
    }

    private static ObjectNode parse(ObjectMapper json, FeedEvent e) {
        try {
            return (ObjectNode) json.readTree(e.utf8());
        } catch (IOException ex) {
            throw new UncheckedIOException("stored event " + e.seq() + " is not valid JSON", ex);
        }
    }
}
