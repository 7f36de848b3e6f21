package com.commerceidentity.platform.bigcommerce;

import static org.assertj.core.api.Assertions.assertThat;

import com.commerceidentity.sync.Page;
import com.commerceidentity.sync.PageRequest;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The next page of a full listing comes from the answer's {@code meta.pagination}, not from counting records. */
class BigCommercePaginationTest {
    private final BigCommerceCustomerPages pages = new BigCommerceCustomerPages(5);

    private static String answer(int records, int currentPage, int totalPages, String next) {
        StringBuilder data = new StringBuilder();
        for (int i = 0; i < records; i++) {
            data.append(i == 0 ? "" : ",").append("{\"id\":").append(currentPage * 100 + i)
                    .append(",\"date_modified\":\"2025-01-01T00:00:0").append(i).append("Z\"}");
        }
        return "{\"data\":[" + data + "],\"meta\":{\"pagination\":{\"total\":18,\"count\":" + records
                + ",\"per_page\":5,\"current_page\":" + currentPage + ",\"total_pages\":" + totalPages
                + ",\"links\":{" + (next == null ? "" : "\"next\":\"" + next + "\",") + "\"current\":\"?page="
                + currentPage + "&limit=5\"}}}}";
    }

    @Test
    void aShortPageInTheMiddleIsFollowedByTheNextPageNumberNotByItsRecordCount() {
        PageRequest second = pages.page(null, 5);
        assertThat(second.query()).contains("page=2");
        // page 2 of 4 holds 3 records, not 5: counting records (offset 8 → 8/5+1) would ask for page 2 again
        Page page = pages.read(second, answer(3, 2, 4, "?page=3&limit=5"), Map.of());
        assertThat(page.last()).isFalse();
        assertThat(page.following().path()).isEqualTo("/v3/customers");
        assertThat(page.following().query()).contains("page=3").doesNotContain("page=2")
                .contains("limit=5").contains("sort=date_modified%3Aasc");
    }

    @Test
    void withoutLinksTheCurrentPagePlusOneIsNext() {
        Page page = pages.read(pages.page(null, 0), answer(2, 1, 4, null), Map.of());
        assertThat(page.following().query()).contains("page=2");
    }

    @Test
    void theLastPageHasNoFollowingPage() {
        Page page = pages.read(pages.page(null, 15), answer(3, 4, 4, null), Map.of());
        assertThat(page.last()).isTrue();
        assertThat(page.following()).isNull();
    }
}
