package com.commerceidentity.observe;

import com.commerceidentity.webhook.WebhookGroupCommit;
import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Not ready while the webhook inbox cannot store a delivery: every webhook would be answered with an error, and
 * a platform that sees enough of them stops sending.
 */
public final class WebhookInboxCheck extends AbstractHealthCheck {
    private final WebhookGroupCommit inbox;

    public WebhookInboxCheck(WebhookGroupCommit inbox) {
        super("commerce-identity", "webhook-inbox");
        this.inbox = inbox;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        inbox.whyNotWritable().ifPresentOrElse(why -> builder.message(why).down(), builder::up);
    }
}
