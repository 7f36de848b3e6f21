package com.commerceidentity.observe;

import static com.commerceidentity.observe.Html.text;

import com.commerceidentity.drop.RejectLog;
import com.commerceidentity.graph.FeedEventLog;
import com.commerceidentity.store.StoreAnswerTally;
import com.commerceidentity.store.StoreConfig;
import com.commerceidentity.store.StoreRegistry;
import com.commerceidentity.sync.SyncStatus;
import com.commerceidentity.sync.SyncSurfaces;
import com.commerceidentity.webhook.WebhookInboxRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET /}: the service at a glance for people who would rather look than read JSON. The whole state is in
 * the first answer (it reads without JavaScript); /status.js then polls the JSON endpoints and updates it. Every
 * value from outside (store ids, error messages, reject reasons) is escaped.
 */
public final class StatusPage {
    private final StoreRegistry stores;
    private final SyncStatus sync;
    private final StoreAnswerTally answers;
    private final BudgetHistory budgetHistory;
    private final RejectLog rejects;
    private final FeedEventLog feed;
    private final WebhookInboxRepository inbox;
    private final Clock clock;
    private final long pollMillis;
    private final long sampleSeconds;
    private final String script;

    public StatusPage(StoreRegistry stores, SyncStatus sync, StoreAnswerTally answers, BudgetHistory budgetHistory,
                      RejectLog rejects, FeedEventLog feed, WebhookInboxRepository inbox, Clock clock,
                      long pollMillis, long sampleMillis) {
        this.stores = stores;
        this.sync = sync;
        this.answers = answers;
        this.budgetHistory = budgetHistory;
        this.rejects = rejects;
        this.feed = feed;
        this.inbox = inbox;
        this.clock = clock;
        this.pollMillis = pollMillis;
        this.sampleSeconds = Math.max(1, sampleMillis / 1000);
        try (java.io.InputStream in = StatusPage.class.getResourceAsStream("/status-page/status.js")) {
            this.script = new String(java.util.Objects.requireNonNull(in, "status-page/status.js is not in the jar")
                    .readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** {@code GET /status.js}. */
    public String script() {
        return script;
    }

    public String render() {
        Instant now = clock.instant();
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>Commerce Identity Feed</title>").append(STYLE)
                .append("<script src=\"/status.js\" defer></script></head>\n")
                .append("<body data-poll-ms=\"").append(pollMillis).append("\">")
                .append("<h1>Commerce Identity Feed</h1><p class=\"muted\">As of <time id=\"as-of\">")
                .append(text(now)).append("</time>; updates every ").append(pollMillis / 1000)
                .append(" s while open. JSON: <a href=\"/openapi.json\">/openapi.json</a>.</p>\n");
        feedSection(h, now);
        storesSection(h);
        inboxSection(h, now);
        errorsSection(h);
        rejectsSection(h);
        return h.append("</body></html>\n").toString();
    }

    private void feedSection(StringBuilder h, Instant now) {
        long head = feed.publishedSeq();
        h.append("<section id=\"feed\"><h2>Feed</h2><p>Head <code>seq</code> <strong id=\"feed-head\">")
                .append(head).append("</strong>");
        if (head > 0) {
            Optional<Instant> at = Optional.empty();
            try {
                at = feed.occurredAt(head);
            } catch (Exception e) {
                h.append(" (its time could not be read: ").append(text(e.getMessage())).append(')');
            }
            at.ifPresent(t -> h.append(", newest event ").append(ago(t, now)));
            h.append(". Read it: <a href=\"/feed?after=").append(Math.max(0, head - 10)).append("\">/feed?after=")
                    .append(Math.max(0, head - 10)).append("</a>");
        } else {
            h.append(": no events yet");
        }
        h.append(".</p></section>\n");
    }

    private void storesSection(StringBuilder h) {
        h.append("<section id=\"stores\"><h2>Stores</h2><table><thead><tr><th>Store</th><th>Platform</th>")
                .append("<th>Health</th><th>Surface</th><th>State</th><th>Progress</th><th>Last run</th>")
                .append("<th>Requests per ").append(sampleSeconds).append(" s, last ")
                .append(Math.max(1, sampleSeconds * maxSamples() / 60)).append(" min</th></tr></thead><tbody>\n");
        List<StoreConfig> all = stores.all();
        if (all.isEmpty()) {
            h.append("<tr><td colspan=\"8\">No store is configured (stores.&lt;id&gt;.* in application.properties)")
                    .append("</td></tr>");
        }
        for (StoreConfig store : all) {
            List<String> surfaces = SyncSurfaces.offered(store).stream()
                    .filter(s -> SyncSurfaces.enabled(store, s)).toList();
            String id = text(store.id());
            String health = health(store, surfaces);
            int rows = Math.max(1, surfaces.size());
            for (int i = 0; i < rows; i++) {
                String surface = surfaces.isEmpty() ? null : surfaces.get(i);
                h.append("<tr data-store=\"").append(id).append('"');
                if (surface != null) {
                    h.append(" data-surface=\"").append(text(surface)).append('"');
                }
                h.append('>');
                if (i == 0) {
                    h.append("<td class=\"store\" rowspan=\"").append(rows).append("\">").append(id).append("</td>")
                            .append("<td rowspan=\"").append(rows).append("\">").append(text(store.platform().id()))
                            .append("</td><td class=\"health\" rowspan=\"").append(rows).append("\">")
                            .append(text(health)).append("</td>");
                }
                if (surface == null) {
                    h.append("<td>-</td><td class=\"state\">no surface is synced</td><td class=\"progress\"></td>")
                            .append("<td class=\"last\"></td>");
                } else {
                    surfaceCells(h, store.id(), surface);
                }
                if (i == 0) {
                    h.append("<td class=\"budget\" rowspan=\"").append(rows).append("\">")
                            .append(chart(budgetHistory.series(store.id()))).append("</td>");
                }
                h.append("</tr>\n");
            }
        }
        h.append("</tbody></table></section>\n");
    }

    private int maxSamples() {
        return budgetHistory.keep();
    }

    private String health(StoreConfig store, List<String> surfaces) {
        StoreAnswerTally.Counts counts = answers.of(store.id());
        if (counts.refusingCredentials()) {
            return "credentials refused";
        }
        for (String surface : surfaces) {
            Map<String, Object> last = sync.lastRun(store.id(), surface);
            if (last != null && "failed".equals(last.get("outcome"))) {
                return "last run failed";
            }
        }
        return "ok";
    }

    private void surfaceCells(StringBuilder h, String store, String surface) {
        h.append("<td>").append(text(surface)).append("</td>");
        Map<String, Object> current = sync.current(store, surface);
        Map<String, Object> last = sync.lastRun(store, surface);
        if (current != null) {
            h.append("<td class=\"state\">running</td><td class=\"progress\">").append(text(progress(current)))
                    .append("</td>");
        } else {
            h.append("<td class=\"state\">").append(last == null ? "not run yet" : text(last.get("outcome")))
                    .append("</td><td class=\"progress\"></td>");
        }
        h.append("<td class=\"last\">").append(last == null ? "" : text(lastRun(last))).append("</td>");
    }

    /** The same words status.js shows when it updates the row. */
    static String progress(Map<String, Object> run) {
        StringBuilder s = new StringBuilder();
        if (run.get("percent") != null) {
            s.append(run.get("percent")).append("% · ");
        }
        s.append(run.get("records")).append(" records");
        if (run.get("etaSeconds") != null) {
            s.append(" · ETA ").append(run.get("etaSeconds")).append(" s");
        }
        return s.toString();
    }

    static String lastRun(Map<String, Object> run) {
        StringBuilder s = new StringBuilder();
        s.append(run.getOrDefault("finishedAt", run.get("startedAt"))).append(": ").append(run.get("records"))
                .append(" records");
        if (run.get("message") != null) {
            s.append(" — ").append(run.get("message"));
        }
        return s.toString();
    }

    /** A small line chart of requests per interval; the highest point is labelled. */
    static String chart(List<Long> series) {
        if (series.isEmpty()) {
            return "<span class=\"muted\">no samples yet</span>";
        }
        long max = Math.max(1, series.stream().mapToLong(Long::longValue).max().orElse(1));
        int width = 160;
        int height = 32;
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < series.size(); i++) {
            double x = series.size() == 1 ? width : (double) i * width / (series.size() - 1);
            double y = height - 1 - (double) series.get(i) * (height - 2) / max;
            points.append(String.format(java.util.Locale.ROOT, "%.1f,%.1f ", x, y));
        }
        return "<svg class=\"chart\" width=\"" + width + "\" height=\"" + height + "\" viewBox=\"0 0 " + width + " "
                + height + "\" role=\"img\" aria-label=\"requests per interval, highest " + max + "\">"
                + "<polyline fill=\"none\" stroke=\"#36c\" stroke-width=\"1.5\" points=\"" + points.toString().trim()
                + "\"/></svg> <span class=\"muted\">max " + max + "</span>";
    }

    private void inboxSection(StringBuilder h, Instant now) {
        h.append("<section id=\"inbox\"><h2>Webhook inbox</h2>");
        try {
            Map<String, Long> counts = inbox.statusCounts();
            h.append("<p>");
            counts.forEach((status, n) -> h.append(text(status)).append(": <strong id=\"inbox-").append(text(status))
                    .append("\">").append(n).append("</strong> &nbsp; "));
            Optional<Instant> oldest = inbox.oldestPendingReceivedAt();
            h.append("oldest pending: <span id=\"inbox-oldest\">")
                    .append(oldest.map(t -> "received " + ago(t, now)).orElse("none waiting")).append("</span>. ")
                    .append("<a href=\"/webhook-inbox\">/webhook-inbox</a></p>");
        } catch (Exception e) {
            h.append("<p class=\"bad\">The inbox cannot be read: ").append(text(e.getMessage())).append("</p>");
        }
        h.append("</section>\n");
    }

    private void errorsSection(StringBuilder h) {
        h.append("<section id=\"errors\"><h2>Recent errors</h2><ul>");
        boolean any = false;
        for (StoreConfig store : stores.all()) {
            StoreAnswerTally.Counts counts = answers.of(store.id());
            if (counts.lastError() != null) {
                any = true;
                h.append("<li><strong>").append(text(store.id())).append("</strong>: last error from the store: ")
                        .append(text(counts.lastError())).append(" (").append(counts.authFailures())
                        .append(" refused credentials, ").append(counts.errors()).append(" failures since start)</li>");
            }
            for (String surface : SyncSurfaces.offered(store)) {
                Map<String, Object> last = sync.lastRun(store.id(), surface);
                if (last != null && "failed".equals(last.get("outcome"))) {
                    any = true;
                    h.append("<li><strong>").append(text(store.id())).append("</strong> ").append(text(surface))
                            .append(": run failed at ").append(text(last.get("finishedAt"))).append(" — ")
                            .append(text(last.get("message"))).append("</li>");
                }
            }
        }
        if (!any) {
            h.append("<li class=\"muted\">none since start</li>");
        }
        h.append("</ul></section>\n");
    }

    private void rejectsSection(StringBuilder h) {
        h.append("<section id=\"rejects\"><h2>Recent rejects</h2>");
        List<Map<String, Object>> recent = rejects.recent();
        if (recent.isEmpty()) {
            h.append("<p class=\"muted\">none since start</p>");
        } else {
            h.append("<table><thead><tr><th>When</th><th>Store</th><th>Input</th><th>Line</th><th>Reason</th></tr>")
                    .append("</thead><tbody>");
            for (Map<String, Object> r : recent) {
                h.append("<tr><td>").append(text(r.get("at"))).append("</td><td>").append(text(r.get("store")))
                        .append("</td><td>").append(text(r.get("input"))).append("</td><td>").append(text(r.get("line")))
                        .append("</td><td class=\"reason\">").append(text(r.get("reason"))).append("</td></tr>");
            }
            h.append("</tbody></table>");
        }
        h.append("</section>\n");
    }

    private static String ago(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
    }

    private static final String STYLE = "<style>body{font:14px/1.4 system-ui,sans-serif;margin:1.5em;color:#222}"
            + "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.25em .5em;text-align:left;"
            + "vertical-align:top}th{background:#f4f4f4}.muted{color:#777}.bad{color:#b00}"
            + "code{background:#f4f4f4;padding:0 .2em}</style>";
}
