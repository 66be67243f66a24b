package dev.aand.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Children named "0", "1", ... with no forward of their own, like {@code nn.ModuleList}. */
public final class ModuleList<M extends Module> extends Module implements Iterable<M> {
    private final List<M> items = new ArrayList<>();

    public ModuleList<M> add(M module) {
        child(Integer.toString(items.size()), module);
        items.add(module);
        return this;
    }

    public M get(int i) {
        return items.get(i);
    }

    public int size() {
        return items.size();
    }

    @Override
    public Iterator<M> iterator() {
        return items.iterator();
    }
}
