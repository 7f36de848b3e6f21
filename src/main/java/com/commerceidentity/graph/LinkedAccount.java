package com.commerceidentity.graph;

import com.commerceidentity.model.Account;
import java.time.Instant;

/**
 * An account as stored in the graph: the canonical account, the identity it belongs to and the evidence
 * for that link (which rule tied it, on which value).
 */
public record LinkedAccount(Account account, String identityId, String linkRule, String linkValue,
                            Instant linkedAt, String inputRef) {

    public String key() {
        return account.key().toString();
    }

    LinkedAccount withIdentity(String newIdentityId, String rule, String value, Instant at) {
        return new LinkedAccount(account, newIdentityId, rule, value, at, inputRef);
    }
}
