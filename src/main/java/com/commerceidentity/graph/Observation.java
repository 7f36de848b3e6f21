package com.commerceidentity.graph;

import com.commerceidentity.model.Account;

/**
 * One account as read from one input; {@code inputRef} says where (file and line, endpoint, store run).
 * An {@code erasure} carries the account with its personal data removed (a GDPR redact request): it is
 * resolved like a deletion but published as {@code account.erased}.
 */
public record Observation(Account account, String inputRef, boolean erasure) {

    public Observation(Account account, String inputRef) {
        this(account, inputRef, false);
    }
}
