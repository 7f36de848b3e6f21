package com.commerceidentity.budget;

import io.github.bucket4j.Bucket;

/** Makes a budget's token bucket: this node's own, or one every node shares (BudgetStore). */
@FunctionalInterface
interface BucketFactory {
    Bucket bucket(long capacity, double perSecond);
}
