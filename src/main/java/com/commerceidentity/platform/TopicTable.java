package com.commerceidentity.platform;

import com.commerceidentity.model.Kind;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A webhook topic table declared as a bean in a platform's route file ({@code routes/platforms/<platform>.yaml},
 * bean {@code <platform>WebhookTopics}), so ops read and change which topic does what where they read the routes.
 * Topics are comma-separated lists; where the record and the ids sit in a payload is a JSON pointer ({@code /data/id}),
 * {@code []} after a segment meaning "each element of this array" ({@code /data[]/id}), and a comma-separated
 * list of pointers means "the first one present". A topic in no list is acknowledged and ignored.
 */
public class TopicTable implements WebhookTopics {
    private Set<String> records = Set.of();
    private Set<String> fetch = Set.of();
    private Set<String> delete = Set.of();
    private Set<String> erase = Set.of();
    private Set<String> confirm = Set.of();
    private Set<String> staffTopics = Set.of();
    private String kind = "customer";
    private List<String> record = List.of("");
    private List<String> ids = List.of("/id");
    private List<String> eraseIds;

    /** Topics whose payload is the record itself (or holds it at {@link #setRecord}). */
    public void setRecords(String topics) {
        records = topics(topics);
    }

    /** Topics that carry ids only: the records are fetched from the store (the platform module says how). */
    public void setFetch(String topics) {
        fetch = topics(topics);
    }

    /** Topics that end the accounts of their ids. */
    public void setDelete(String topics) {
        delete = topics(topics);
    }

    /**
     * Delete topics applied only once the store confirms the record is gone: a deletion is the one event whose
     * forgery loses data, and a signature that covers the body alone (not the topic) does not prove it. The
     * platform module lists the ids' records ({@link WebhookFetch}); an id still listed is not deleted.
     */
    public void setConfirm(String topics) {
        confirm = topics(topics);
    }

    /** Topics that ask for the accounts' personal data to be erased (GDPR). */
    public void setErase(String topics) {
        erase = topics(topics);
    }

    /** Topics about staff users; every other topic is about customers (see {@link #setKind}). */
    public void setStaffTopics(String topics) {
        staffTopics = topics(topics);
    }

    /** {@code customer}, {@code staff}, or {@code record} (the mapper tells from the record itself). */
    public void setKind(String kind) {
        if (!List.of("customer", "staff", "record").contains(kind.trim())) {
            throw new IllegalArgumentException("kind must be customer, staff or record but is '" + kind + "'");
        }
        this.kind = kind.trim();
    }

    public void setRecord(String pointers) {
        record = pointers(pointers);
    }

    public void setIds(String pointers) {
        ids = pointers(pointers);
    }

    public void setEraseIds(String pointers) {
        eraseIds = pointers(pointers);
    }

    @Override
    public Work classify(String topic, JsonNode payload) {
        Kind k = staffTopics.contains(topic) ? Kind.STAFF : switch (kind) {
            case "staff" -> Kind.STAFF;
            case "record" -> null;
            default -> Kind.CUSTOMER;
        };
        if (records.contains(topic)) {
            return new Work(Action.RECORDS, k, List.of(first(payload, record)), Set.of());
        }
        if (fetch.contains(topic)) {
            return new Work(Action.FETCH, k, List.of(), ids(payload, ids));
        }
        if (delete.contains(topic)) {
            return new Work(confirm.contains(topic) ? Action.DELETE_IF_GONE : Action.DELETE, k == null ? Kind.CUSTOMER : k, List.of(), ids(payload, ids));
        }
        if (erase.contains(topic)) {
            return new Work(Action.ERASE, k == null ? Kind.CUSTOMER : k, List.of(),
                    ids(payload, eraseIds != null ? eraseIds : ids));
        }
        return Work.ignore();
    }

    @Override
    public boolean fetchesRecords() {
        return !fetch.isEmpty();
    }

    @Override
    public Set<String> namedIds(JsonNode payload) {
        Set<String> named = new LinkedHashSet<>(ids(payload, ids));
        if (eraseIds != null) {
            named.addAll(ids(payload, eraseIds));
        }
        return named;
    }

    private static JsonNode first(JsonNode payload, List<String> pointers) {
        for (String p : pointers) {
            JsonNode n = payload.at(p);
            if (!n.isMissingNode()) {
                return n;
            }
        }
        return payload.at(pointers.get(0));
    }

    private static Set<String> ids(JsonNode payload, List<String> pointers) {
        for (String p : pointers) {
            Set<String> found = new LinkedHashSet<>();
            int each = p.indexOf("[]");
            if (each < 0) {
                JsonNode n = payload.at(p);
                if (n.isValueNode()) {
                    found.add(n.asText());
                }
            } else {
                payload.at(p.substring(0, each)).forEach(element -> {
                    JsonNode n = element.at(p.substring(each + 2));
                    if (n.isValueNode()) {
                        found.add(n.asText());
                    }
                });
            }
            if (!found.isEmpty()) {
                return found;
            }
        }
        return new LinkedHashSet<>();
    }

    private static Set<String> topics(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).filter(t -> !t.isEmpty()).collect(Collectors.toSet());
    }

    private static List<String> pointers(String csv) {
        return Arrays.stream(csv.split(",")).map(String::trim).map(p -> p.toLowerCase(Locale.ROOT).equals("payload")
                ? "" : p).toList();
    }
}
