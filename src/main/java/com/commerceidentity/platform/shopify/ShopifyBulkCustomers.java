package com.commerceidentity.platform.shopify;

import com.commerceidentity.drop.DropInput;
import com.commerceidentity.drop.RawRecord;
import com.commerceidentity.drop.RecordReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The lines of a bulk operation's JSONL result as REST customers, so that a customer read in bulk and the same one
 * read by paging or a webhook are one account (key: the numeric id) and map alike. Lines with {@code __parentId}
 * are objects of a nested connection, not customers, and are passed over; a line whose id is not a Customer gid
 * is a reject naming the field, and the lines around it go on.
 */
final class ShopifyBulkCustomers implements RecordReader.CloseableIterator<RawRecord> {
    private static final Pattern CUSTOMER_GID = Pattern.compile("gid://shopify/Customer/(\\d+)");
    private final RecordReader.CloseableIterator<RawRecord> lines;
    private RawRecord next;
    private long customers;

    ShopifyBulkCustomers(RecordReader.CloseableIterator<RawRecord> lines) {
        this.lines = lines;
    }

    /** Customers handed on so far (rejects and nested objects not counted). */
    long customers() {
        return customers;
    }

    @Override
    public boolean hasNext() {
        while (next == null && lines.hasNext()) {
            RawRecord line = lines.next();
            if (line.json() == null || line.rejectedAs() != null) {
                next = line;
            } else if (!line.json().has("__parentId")) {
                next = customer(line);
            }
        }
        return next != null;
    }

    @Override
    public RawRecord next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        RawRecord out = next;
        next = null;
        return out;
    }

    private RawRecord customer(RawRecord line) {
        JsonNode in = line.json();
        Matcher id = CUSTOMER_GID.matcher(in.path("id").asText(""));
        if (!id.matches()) {
            return RawRecord.rejected(in, new DropInput.Reject(line.line(), "id",
                    "not a Customer gid: '" + in.path("id").asText("") + "'"));
        }
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        out.put("id", Long.parseLong(id.group(1)));
        copy(in, "email", out, "email");
        copy(in, "firstName", out, "first_name");
        copy(in, "lastName", out, "last_name");
        copy(in, "phone", out, "phone");
        copy(in, "verifiedEmail", out, "verified_email");
        copy(in, "note", out, "note");
        copy(in, "createdAt", out, "created_at");
        copy(in, "updatedAt", out, "updated_at");
        if (in.hasNonNull("state")) {
            // GraphQL's CustomerState enum is the REST state in upper case
            out.put("state", in.get("state").asText().toLowerCase(Locale.ROOT));
        }
        if (in.path("tags").isArray()) {
            StringBuilder tags = new StringBuilder();
            in.get("tags").forEach(t -> tags.append(tags.isEmpty() ? "" : ", ").append(t.asText()));
            out.put("tags", tags.toString());
        }
        out.put("admin_graphql_api_id", in.get("id").asText());
        customers++;
        return RawRecord.ok(line.line(), out);
    }

    private static void copy(JsonNode in, String from, ObjectNode out, String to) {
        if (in.has(from)) {
            out.set(to, in.get(from));
        }
    }

    @Override
    public void close() {
        lines.close();
    }
}
