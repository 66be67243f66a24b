package dev.aand.backbone;

import ai.djl.ndarray.NDArray;
import dev.aand.nn.BatchNorm2d;
import dev.aand.nn.Conv2d;
import dev.aand.nn.InitContext;

/** Two 3x3 convs (ResNet-18/34); output channels = planes. */
final class BasicBlock extends ResNetBlock {
    private final Conv2d conv1;
    private final BatchNorm2d bn1;
    private final Conv2d conv2;
    private final BatchNorm2d bn2;

    BasicBlock(InitContext ctx, int in, int planes, int stride) {
        conv1 = child("conv1", conv(ctx, in, planes, 3, stride, 1));
        bn1 = child("bn1", new BatchNorm2d(ctx, planes));
        conv2 = child("conv2", conv(ctx, planes, planes, 3, 1, 1));
        bn2 = child("bn2", new BatchNorm2d(ctx, planes));
        addDownsampleIfNeeded(ctx, in, planes, stride);
    }

    @Override
    NDArray forward(NDArray x) {
        NDArray y = relu(bn1.forward(conv1.forward(x)));
        y = bn2.forward(conv2.forward(y));
        return relu(y.add(shortcut(x)));
    }
}
