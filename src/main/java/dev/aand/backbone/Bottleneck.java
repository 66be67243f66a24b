package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;

/**
 * 1x1 reduce, 3x3 (stride here, torchvision's "ResNet v1.5"), 1x1 expand; output = out channels.
 * The middle width is free so wide variants (width_per_group 128) use the same class.
 */
final class Bottleneck extends ResNetBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;
    private final Conv2d conv3;
    private final BatchNorm2d bn3;

    Bottleneck(InitContext ctx, int in, int width, int out, int stride) {
        conv1 = child("conv1", conv(ctx, in, width, 1, 1, 0));
        bn1 = child("bn1", new BatchNorm2d(ctx, width));
        conv2 = child("conv2", conv(ctx, width, width, 3, stride, 1));
        bn2 = child("bn2", new BatchNorm2d(ctx, width));
        conv3 = child("conv3", conv(ctx, width, out, 1, 1, 0));
        bn3 = child("bn3", new BatchNorm2d(ctx, out));
        addDownsampleIfNeeded(ctx, in, out, stride);
    }

    @Override
    NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.forward(x)));
        y = relu(bn2.forward(conv2.forward(y)));
        y = bn3.forward(conv3.forward(y));
        return relu(y.add(shortcut(x)));
    }
}
