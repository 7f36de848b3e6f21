package com.commerceidentity.store;

import com.commerceidentity.budget.RateBudgets;
import com.commerceidentity.http.HttpProblem;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Header;

/** {@code GET /stores/{id}/budget}: where a store's rate budget stands, as JSON. */
public class StoreStatus {
    private final StoreRegistry stores;
    private final RateBudgets budgets;
    private final ObjectMapper json;

    public StoreStatus(StoreRegistry stores, RateBudgets budgets, ObjectMapper json) {
        this.stores = stores;
        this.budgets = budgets;
        this.json = json;
    }

    public String budget(@Header("id") String id) throws JsonProcessingException {
        StoreConfig store = stores.get(id).orElseThrow(() -> new HttpProblem(404, "no store '" + id + "' is configured"));
        return json.writeValueAsString(budgets.state(store));
    }
}
