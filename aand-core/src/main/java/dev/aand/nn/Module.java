package dev.aand.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A network component with named parameters, buffers and children, mirroring the layout of a
 * PyTorch {@code nn.Module} so that state-dict keys are the same dotted names torchvision uses
 * ({@code layer1.0.conv1.weight}). Parameters live in the {@link InitContext}'s manager for the
 * module's lifetime; forward passes create their outputs in whatever manager or scope is open.
 *
 * <p>Why not DJL's {@code Block}: its parameter names are positional ("01Conv2d_weight"), its
 * initialisation is deferred to the first input shape, and it has no buffer concept for BatchNorm
 * running statistics; binding checkpoints by torchvision name is far simpler with this tree.
 */
public abstract class Module {
    private final Map<String, Module> children = new LinkedHashMap<>();
    private final Map<String, NDArray> parameters = new LinkedHashMap<>();
    private final Map<String, NDArray> buffers = new LinkedHashMap<>();
    private boolean training;
    private InferenceFormat inference;

    protected <M extends Module> M child(String name, M module) {
        if (children.put(name, module) != null) {
            throw new IllegalStateException("duplicate child " + name);
        }
        return module;
    }

    /** Registers a trainable tensor. */
    protected NDArray parameter(String name, NDArray value) {
        value.setRequiresGradient(true);
        parameters.put(name, value);
        return value;
    }

    /** Registers a saved but not trained tensor (BatchNorm statistics). */
    protected NDArray buffer(String name, NDArray value) {
        buffers.put(name, value);
        return value;
    }

    /** Trainable parameters of this module and all descendants, by dotted name, in order. */
    public Map<String, NDArray> parameters() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        collect("", out, false);
        return out;
    }

    /** Parameters and buffers by dotted name, in registration order (PyTorch's state_dict order). */
    public Map<String, NDArray> stateDict() {
        Map<String, NDArray> out = new LinkedHashMap<>();
        collect("", out, true);
        return out;
    }

    private void collect(String prefix, Map<String, NDArray> out, boolean withBuffers) {
        parameters.forEach((k, v) -> out.put(prefix + k, v));
        if (withBuffers) {
            buffers.forEach((k, v) -> out.put(prefix + k, v));
        }
        children.forEach((k, m) -> m.collect(prefix + k + ".", out, withBuffers));
    }

    /**
     * Sets training mode (BatchNorm uses batch statistics) on this module and its children. Training
     * mode drops the inference copies: the weights are about to change.
     */
    public Module train(boolean on) {
        if (on) {
            dropInference();
        }
        training = on;
        children.values().forEach(c -> c.train(on));
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /**
     * Switches this module and its children to evaluation mode with inference copies of their
     * tensors in {@code format}: each BatchNorm folded into the convolution before it, weights
     * cast to the precision. The stored parameters are left as they are, so the state dict and
     * training are unaffected. Call it again after the weights change; not while another thread
     * runs a forward pass.
     */
    public void prepareInference(InferenceFormat format) {
        train(false);
        dropInference();
        prepareTree(format);
    }

    private void prepareTree(InferenceFormat format) {
        prepareOwnInference(format);
        inference = format;
        children.values().forEach(c -> c.prepareTree(format));
    }

    /** Frees the inference copies of this module and its children (forward falls back to the parameters). */
    public void dropInference() {
        if (inference != null) {
            dropOwnInference();
            inference = null;
        }
        children.values().forEach(Module::dropInference);
    }

    /** The format {@link #prepareInference} set up, or null when forward uses the stored tensors. */
    public InferenceFormat inferenceFormat() {
        return training ? null : inference;
    }

    /** Makes this module's own inference copies (children are handled by the caller). */
    protected void prepareOwnInference(InferenceFormat format) {}

    /** Frees what {@link #prepareOwnInference} made. */
    protected void dropOwnInference() {}

    /** Stops gradient tracking for every parameter (a frozen teacher). */
    public void freeze() {
        parameters().values().forEach(p -> p.setRequiresGradient(false));
    }

    /**
     * Overwrites a state-dict entry in place, keeping the engine tensor that layers hold. Inference
     * copies are dropped, since they would no longer match.
     */
    public void load(String name, float[] values) {
        dropInference();
        NDArray target = stateDict().get(name);
        if (target == null) {
            throw new IllegalArgumentException("no tensor named " + name);
        }
        if (target.size() != values.length) {
            throw new IllegalArgumentException(
                    name + ": expected " + target.getShape() + " but got " + values.length + " values");
        }
        try (NDArray src = target.getManager().create(values, target.getShape());
                NDArray typed = src.toType(target.getDataType(), false);
                NDArray view = target.stopGradient()) {
            // The detached view shares storage; an indexed assignment copies into that storage.
            // (NDArray.set(Buffer) would instead swap in new storage on the view only, leaving the
            // tensor the layers hold unchanged.)
            view.set(new NDIndex("..."), typed);
        }
    }

    public long parameterCount() {
        return parameters().values().stream().mapToLong(NDArray::size).sum();
    }
}
