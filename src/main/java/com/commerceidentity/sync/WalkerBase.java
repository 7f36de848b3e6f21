package com.commerceidentity.sync;

import com.commerceidentity.model.Kind;

/** What every page walker states the same way: its surface, kind, whether it filters by time, page size. */
public abstract class WalkerBase implements SurfaceWalker {
    private final String surface;
    private final Kind kind;
    private final boolean incremental;
    private final int pageSize;

    protected WalkerBase(String surface, Kind kind, boolean incremental, int pageSize) {
        this.surface = surface;
        this.kind = kind;
        this.incremental = incremental;
        this.pageSize = pageSize;
    }

    @Override
    public final String surface() {
        return surface;
    }

    @Override
    public final Kind kind() {
        return kind;
    }

    @Override
    public final boolean incremental() {
        return incremental;
    }

    @Override
    public final int pageSize() {
        return pageSize;
    }
}
