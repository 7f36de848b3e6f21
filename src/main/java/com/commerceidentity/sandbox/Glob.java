package com.commerceidentity.sandbox;

import java.util.regex.Pattern;

/** Glob patterns where {@code *} matches any run of characters ('/' included) and everything else is literal. */
public final class Glob {

    private Glob() {
    }

    public static Pattern toPattern(String glob, int flags) {
        StringBuilder regex = new StringBuilder();
        for (String part : glob.split("\\*", -1)) {
            if (!regex.isEmpty()) {
                regex.append(".*");
            }
            regex.append(Pattern.quote(part));
        }
        return Pattern.compile(regex.toString(), flags);
    }
}
