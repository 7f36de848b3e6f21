package com.commerceidentity.graph;

import com.commerceidentity.model.Account;

/** One account as read from one input; {@code inputRef} says where (file and line, endpoint, store run). */
public record Observation(Account account, String inputRef) {
}
