// Medusa v2 subscriber that posts customer and user events to Commerce Identity Feed.
// Copy into your Medusa project's src/subscribers/ and set IDENTITY_FEED_URL
// (e.g. https://feed.example.com/webhooks/medusa/<store id>) and IDENTITY_FEED_SECRET
// (the same value as stores.<store id>.webhook-secret in the feed's configuration).
//
// Contract (docs/sandbox.md, docs/webhooks.md): POST {"event", "data":[{"id"}], "occurred_at"} with
//   x-medusa-event-id: a unique id per event, repeated on every retry of that event
//   x-medusa-signature: sha256=<lower-case hex HMAC-SHA256 of the raw body, key = the secret (UTF-8)>
// Medusa events carry only ids; the feed fetches the records itself, in batches.
import type { SubscriberArgs, SubscriberConfig } from "@medusajs/framework"
import crypto from "node:crypto"

const ATTEMPTS = 5

export default async function identityFeedSubscriber({ event }: SubscriberArgs<{ id: string }>) {
  const url = process.env.IDENTITY_FEED_URL
  const secret = process.env.IDENTITY_FEED_SECRET
  if (!url || !secret) {
    console.warn("identity feed: IDENTITY_FEED_URL or IDENTITY_FEED_SECRET is not set; event not sent")
    return
  }
  const body = JSON.stringify({
    event: event.name,
    data: [{ id: event.data.id }],
    occurred_at: new Date().toISOString(),
  })
  // One id for this event across all retries, so the feed can drop duplicates.
  const eventId = `evt_${Date.now()}_${crypto.randomBytes(6).toString("hex")}`
  const signature = "sha256=" + crypto.createHmac("sha256", secret).update(body, "utf8").digest("hex")

  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    try {
      const response = await fetch(url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "x-medusa-event-id": eventId,
          "x-medusa-signature": signature,
        },
        body,
        signal: AbortSignal.timeout(5000),
      })
      if (response.ok) {
        return
      }
      if (response.status >= 400 && response.status < 500 && response.status !== 429) {
        console.error(`identity feed refused ${event.name} (${response.status}); check the secret and URL`)
        return
      }
    } catch (e) {
      // network error or timeout: retry below
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** attempt))
  }
  console.error(`identity feed: ${event.name} for ${event.data.id} not delivered after ${ATTEMPTS} attempts`)
}

export const config: SubscriberConfig = {
  event: [
    "customer.created",
    "customer.updated",
    "customer.deleted",
    "user.created",
    "user.updated",
    "user.deleted",
    // a pending invite ends when it is accepted (the user arrives as user.created) or deleted
    "invite.accepted",
    "invite.deleted",
  ],
}
