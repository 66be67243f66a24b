package dev.aand.engine;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.engine.PtNDManager;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValue;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * libtorch operations that DJL 0.33's PyTorch binding does not expose, as methods of one small
 * TorchScript module that libtorch compiles at first use: bfloat16 casts (DJL's native layer maps
 * no data-type code to bfloat16; asking for one aborts the process), memory formats, and oneDNN's
 * fused convolutions. The module holds no tensors, so inputs on any device work.
 */
final class TorchScriptKernels {
    // torch ScalarType codes: 6 = float32, 15 = bfloat16; memory_format 0 = contiguous, 2 = channels_last.
    private static final String BODY = """
              def forward(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return x
              def bfloat16(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return torch.to(x, 15)
              def float32(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return torch.to(x, 6)
              def contiguous_copy(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return torch.clone(x, memory_format=0)
              def channels_last(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return torch.contiguous(x, memory_format=2)
              def bfloat16_channels_last(self: __torch__.Kernels, x: Tensor) -> Tensor:
                return torch.contiguous(torch.to(x, 15), memory_format=2)
              def is_channels_last(self: __torch__.Kernels, x: Tensor) -> bool:
                return torch.is_contiguous(x, memory_format=2)
              def is_bfloat16(self: __torch__.Kernels, x: Tensor) -> bool:
                return ops.prim.dtype(x) == 15
              def pack_conv_weight(self: __torch__.Kernels, w: Tensor, padding: List[int], stride: List[int], groups: int, input_size: List[int]) -> Tensor:
                return ops.mkldnn._reorder_convolution_weight(w, padding, stride, [1, 1], groups, input_size)
              def conv_none(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, [1, 1], groups, "none", annotate(List[Optional[number]], []), None)
              def conv_relu(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, [1, 1], groups, "relu", annotate(List[Optional[number]], []), None)
              def conv_relu6(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, [1, 1], groups, "hardtanh", annotate(List[Optional[number]], [0.0, 6.0]), None)
              def conv_tanh(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, [1, 1], groups, "tanh", annotate(List[Optional[number]], []), None)
              def conv_sigmoid(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, w, b, padding, stride, [1, 1], groups, "sigmoid", annotate(List[Optional[number]], []), None)
              def conv_add_relu(self: __torch__.Kernels, x: Tensor, w: Tensor, b: Tensor, padding: List[int], stride: List[int], groups: int, other: Tensor) -> Tensor:
                return ops.mkldnn._convolution_pointwise(x, other, w, b, padding, stride, [1, 1], groups, "add", None, "relu", annotate(List[Optional[number]], []), None)
            """;

    private TorchScriptKernels() {}

    /** Compiled once per process, on first use. */
    private static final class Holder {
        static final PtSymbolBlock MODULE = load();

        private static PtSymbolBlock load() {
            OfflineEngine.get();
            // Lives as long as the process: the module is shared by all callers and threads.
            NDManager owner = NDManager.newBaseManager("PyTorch");
            byte[] archive = TorchScriptArchive.module("Kernels", BODY);
            try {
                return JniUtils.loadModule((PtNDManager) owner, new ByteArrayInputStream(archive), false, false);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot compile the TorchScript kernels", e);
            }
        }
    }

    /**
     * Runs a method; arguments are tensors, long[] (int lists), Long (ints) or prepared
     * {@link IValue}s (which stay the caller's). The result belongs to the first tensor's manager
     * and the current NDScope, like any op's output.
     */
    static NDArray call(String method, NDArray first, Object... rest) {
        IValue[] in = new IValue[rest.length + 1];
        boolean[] own = new boolean[in.length];
        try {
            in[0] = IValue.from((PtNDArray) first);
            own[0] = true;
            for (int i = 0; i < rest.length; i++) {
                own[i + 1] = !(rest[i] instanceof IValue);
                in[i + 1] = own[i + 1] ? ivalue(rest[i]) : (IValue) rest[i];
            }
            try (IValue out = IValueUtils.runMethod(Holder.MODULE, method, in)) {
                return out.toTensor((PtNDManager) first.getManager());
            }
        } finally {
            for (int i = 0; i < in.length; i++) {
                if (own[i] && in[i] != null) {
                    in[i].close();
                }
            }
        }
    }

    static boolean test(String method, NDArray x) {
        try (IValue in = IValue.from((PtNDArray) x);
                IValue out = IValueUtils.runMethod(Holder.MODULE, method, in)) {
            return out.toBoolean();
        }
    }

    /** A long-lived argument for repeated {@link #call}s; the caller closes it. */
    static IValue ivalue(Object o) {
        if (o instanceof NDArray a) {
            return IValue.from((PtNDArray) a);
        }
        if (o instanceof long[] list) {
            return IValue.listFrom(list);
        }
        if (o instanceof Long l) {
            return IValue.from(l.longValue());
        }
        throw new IllegalArgumentException("unsupported TorchScript argument " + o);
    }
}
