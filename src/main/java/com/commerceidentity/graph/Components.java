package com.commerceidentity.graph;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The component arithmetic of resolving one observation in a {@link WorkingSet}: which of the accounts it
 * touches still belong together, which identity id each group keeps, where an identity that lost its claim
 * goes, and what evidence each link shows.
 */
final class Components {
    private Components() {
    }

    /**
     * Connected components of the live accounts in the pool. Components without the changed account come
     * first (largest first), so that the people who did not change keep their identity id.
     */
    static List<List<String>> components(WorkingSet ws, Set<String> pool, String changedKey) {
        if (pool.size() == 1) {
            // Most observations touch no one else (a new person, or a change that keeps every tie): no
            // union-find to build for a component of one.
            return ws.accounts.get(changedKey).account().isDeleted() ? List.of() : List.of(List.of(changedKey));
        }
        Map<String, String> parent = new HashMap<>();
        Map<String, String> firstWithToken = new HashMap<>();
        List<String> live = new ArrayList<>();
        for (String k : pool) {
            LinkedAccount a = ws.accounts.get(k);
            if (a.account().isDeleted()) {
                continue;
            }
            live.add(k);
            parent.put(k, k);
            for (MatchPolicy.MatchKey mk : ws.keys(a.account())) {
                String other = firstWithToken.putIfAbsent(mk.token(), k);
                if (other != null) {
                    union(parent, k, other);
                }
            }
        }
        Map<String, List<String>> groups = new LinkedHashMap<>();
        for (String k : live) {
            groups.computeIfAbsent(find(parent, k), r -> new ArrayList<>()).add(k);
        }
        List<List<String>> out = new ArrayList<>(groups.values());
        out.sort(Comparator.<List<String>, Boolean>comparing(c -> c.contains(changedKey))
                .thenComparing(c -> -c.size()));
        return out;
    }

    private static String find(Map<String, String> parent, String k) {
        String root = k;
        while (!parent.get(root).equals(root)) {
            root = parent.get(root);
        }
        while (!parent.get(k).equals(root)) {
            String next = parent.get(k);
            parent.put(k, root);
            k = next;
        }
        return root;
    }

    private static void union(Map<String, String> parent, String a, String b) {
        String ra = find(parent, a);
        String rb = find(parent, b);
        if (!ra.equals(rb)) {
            parent.put(ra, rb);
        }
    }

    /** The oldest live identity among the component's members (other than the changed account), if free. */
    static String chooseId(WorkingSet ws, List<String> comp, String changedKey, String prevId, Set<String> claimed) {
        String best = null;
        for (String member : comp) {
            if (member.equals(changedKey)) {
                continue;
            }
            String id = ws.accounts.get(member).identityId();
            if (ws.isLive(id) && !claimed.contains(id) && older(ws, id, best)) {
                best = id;
            }
        }
        if (best == null && comp.contains(changedKey) && ws.isLive(prevId) && !claimed.contains(prevId)) {
            best = prevId;
        }
        return best;
    }

    private static boolean older(WorkingSet ws, String candidate, String best) {
        if (best == null) {
            return true;
        }
        IdentityRow c = ws.identities.get(candidate);
        IdentityRow b = ws.identities.get(best);
        int cmp = c.createdAt().compareTo(b.createdAt());
        return cmp < 0 || (cmp == 0 && candidate.compareTo(best) < 0);
    }

    /** Moves the component's members to the identity and refreshes each link's evidence. */
    static void relink(WorkingSet ws, List<String> comp, String id, Instant now) {
        Map<String, Integer> tokenCounts = new HashMap<>();
        for (String member : comp) {
            for (MatchPolicy.MatchKey mk : ws.keys(ws.accounts.get(member).account())) {
                tokenCounts.merge(mk.token(), 1, Integer::sum);
            }
        }
        for (String member : comp) {
            LinkedAccount a = ws.accounts.get(member);
            String rule = "first";
            String value = null;
            for (MatchPolicy.MatchKey mk : ws.keys(a.account())) {
                if (tokenCounts.get(mk.token()) > 1) {
                    rule = mk.rule();
                    value = mk.value();
                    break;
                }
            }
            boolean moved = !id.equals(a.identityId());
            if (moved || !rule.equals(a.linkRule()) || !Objects.equals(value, a.linkValue())) {
                ws.update(a.withIdentity(id, rule, value, moved ? now : a.linkedAt()));
            }
        }
    }

    /**
     * Where an identity that lost its claim goes: the identity most of its former members now belong to (ties
     * to the smallest id), or null when none of them is live any more.
     */
    static String mostCommonTarget(Set<String> formerMembers, Map<String, String> identityOf,
                                   String changedKey, boolean changedIsDeleted) {
        Map<String, Integer> counts = new HashMap<>();
        for (String m : formerMembers) {
            if (m.equals(changedKey) && changedIsDeleted) {
                continue;
            }
            String target = identityOf.get(m);
            if (target != null) {
                counts.merge(target, 1, Integer::sum);
            }
        }
        return counts.entrySet().stream()
                .max(Map.Entry.<String, Integer>comparingByValue().thenComparing(Map.Entry::getKey,
                        Comparator.reverseOrder()))
                .map(Map.Entry::getKey).orElse(null);
    }
}
