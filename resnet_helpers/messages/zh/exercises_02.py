"""Chinese texts of lesson 02's exercises (``course/exercises/lesson02.py``): shapes,
multiply-adds, the cost of projection shortcuts, ResNet-(6n+2) by hand, the crossover depth."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 02.1 output shape of stage 3 for 40×40 images
    "Output shape of stage 3 of ResNet-20 for 40×40 images":
        "40×40 图像上 ResNet-20 第 3 阶段的输出形状",
    "The stem and stage 1 keep the image's height and width; the first block of stages 2 and 3 "
    "halves them (stride 2) and doubles the filters: 16, 32, 64.":
        "起始层和第 1 阶段保持图像的高和宽不变；第 2 和第 3 阶段的第一个块把它们减半（步幅为 2），"
        "并把滤波器个数加倍：16、32、64。",
    "Right: {right}. Only stages 2 and 3 halve the resolution, so a 40×40 image leaves a "
    "{height}×{width} map to the global average pooling.":
        "正确：{right}。只有第 2 和第 3 阶段把分辨率减半，所以一张 40×40 的图像最后交给"
        "全局平均汇聚的是 {height}×{width} 的特征图。",
    "that is stage 3 for CIFAR-10's 32×32 images; these are 40×40.":
        "这是 CIFAR-10 的 32×32 图像在第 3 阶段的输出；这里的图像是 40×40 的。",
    "the channels double at each stage: 16, 32, 64.": "通道数在每个阶段加倍：16、32、64。",
    "32 filters is stage 2's width; stage 3 doubles it once more.":
        "32 个滤波器是第 2 阶段的宽度；第 3 阶段还要再加倍一次。",
    "the resolution halves twice, at the first block of stage 2 and again at the first block of "
    "stage 3.":
        "分辨率要减半两次：在第 2 阶段的第一个块减半一次，在第 3 阶段的第一个块再减半一次。",
    "that is stage 2's output; stage 3 halves the resolution once more and doubles the channels.":
        "这是第 2 阶段的输出；第 3 阶段还要再把分辨率减半一次，并把通道数加倍。",
    "that is stage 1's output (and the stem's).": "这是第 1 阶段（也是起始层）的输出。",
    "only stages 2 and 3 halve the resolution; the stem and stage 1 have stride 1.":
        "只有第 2 和第 3 阶段把分辨率减半；起始层和第 1 阶段的步幅为 1。",
    "Keras keeps channels last: (height, width, channels).":
        "Keras 把通道放在最后：(height, width, channels)。",
    "work it out stage by stage from the 40×40×16 stem output.":
        "请从起始层 40×40×16 的输出出发，一个阶段一个阶段地推算。",
    # 02.2 multiply-adds of one stage-1 block
    "Multiply-adds of one stage-1 block of ResNet-20": "ResNet-20 第 1 阶段一个块的乘加运算次数",
    "A 3×3 convolution costs h_out·w_out·3·3·c_in·c_out multiply-adds per image; a block has "
    "two. Count multiply-adds, not FLOPs (one multiply-add = 2 FLOPs).":
        "一个 3×3 卷积处理每张图像需要 h_out·w_out·3·3·c_in·c_out 次乘加运算；一个块有两个这样的"
        "卷积。请计算乘加运算次数，而不是 FLOPs（一次乘加 = 2 FLOPs）。",
    "that is one convolution; the block has two.": "这是一个卷积的运算量；块中有两个卷积。",
    "that counts FLOPs (a multiply and an add each); the question asks for multiply-adds.":
        "这算的是 FLOPs（乘法和加法各算一次）；题目问的是乘加运算次数。",
    "you left out the 3×3 kernel: each output value reads 3·3·16 inputs.":
        "你漏掉了 3×3 的卷积核：每个输出值要读取 3·3·16 个输入。",
    "stage 1 runs at the full 32×32 resolution, not 16×16.":
        "第 1 阶段在完整的 32×32 分辨率上计算，而不是 16×16。",
    "each of the 16 output channels needs its own 3·3·16 multiply-adds per pixel.":
        "16 个输出通道中的每一个，在每个像素上都需要各自的 3·3·16 次乘加运算。",
    # 02.3 extra parameters of projection shortcuts
    "Extra parameters of ResNet-20 with projection shortcuts":
        "使用投影快捷连接的 ResNet-20 多出的参数量",
    "Only the two downsampling blocks (16 → 32 and 32 → 64) change shape; each gets a 1×1 "
    "convolution without bias plus a BatchNorm (2 learned + 2 running statistics per channel; "
    "Keras counts all four).":
        "只有两个下采样块（16 → 32 和 32 → 64）改变形状；每个块得到一个不带偏置的 1×1 卷积和一个"
        "批量规范化层（每个通道 2 个需要学习的数 + 2 个滑动统计量；Keras 把这四个都算作参数）。",
    "those are the two 1×1 convolutions alone; each is followed by a BatchNorm (2 learned + 2 "
    "running statistics per channel).":
        "这只是两个 1×1 卷积本身；每个卷积之后都跟着一个批量规范化层（每个通道 2 个需要学习的数"
        " + 2 个滑动统计量）。",
    "you counted biases; the paper's convolutions have none.":
        "你算上了偏置；论文中的卷积层都不带偏置。",
    "besides γ and β, BatchNorm keeps 2 running statistics per channel, and Keras counts them "
    "too.":
        "除了 γ 和 β，批量规范化在每个通道上还保存 2 个滑动统计量，Keras 也把它们算作参数。",
    "that is the first downsampling block (16 → 32) only; stage 3 starts with one too.":
        "这只是第一个下采样块（16 → 32）；第 3 阶段也以一个下采样块开始。",
    "that is the second downsampling block (32 → 64) only; stage 2 starts with one too.":
        "这只是第二个下采样块（32 → 64）；第 2 阶段也以一个下采样块开始。",
    "the projection is a 1×1 convolution, not 3×3.": "投影是 1×1 卷积，而不是 3×3 卷积。",
    # 02.4 ResNet-(6n+2) by hand
    "ResNet-(6n+2) from rh.residual_block": "用 rh.residual_block 构建 ResNet-(6n+2)",
    "Stem: Conv2D(width, 3, padding='same', use_bias=False) + BN + ReLU; three stages of n "
    "blocks with width·1, ·2, ·4 filters, stride 2 in the first block of stages 2 and 3; "
    "GlobalAveragePooling2D, Dense(10), softmax.":
        "起始层：Conv2D(width, 3, padding='same', use_bias=False) + BN + ReLU；三个阶段，每个阶段"
        " n 个块，滤波器个数分别为 width·1、·2、·4，第 2 和第 3 阶段的第一个块步幅为 2；"
        "最后是 GlobalAveragePooling2D、Dense(10) 和 softmax。",
    "my_resnet({depth}, {width}) should return a keras.Model; it returned {kind}.":
        "my_resnet({depth}, {width}) 应当返回一个 keras.Model，但它返回的是 {kind}。",
    "The model should map images (32, 32, 3) to 10 class probabilities; yours maps {inputs} to "
    "{outputs}.":
        "模型应当把 (32, 32, 3) 的图像映射为 10 个类别的概率；你的模型把 {inputs} 映射为 {outputs}。",
    "Your model outputs scores, not probabilities: end it with a softmax "
    "(keras.layers.Softmax() after Dense(10), as the course's models do).":
        "你的模型输出的是得分而不是概率：请以 softmax 结尾（像课程中的模型那样，在 Dense(10) "
        "之后加上 keras.layers.Softmax()）。",
    "ResNet-{depth} has three stages of n = (depth − 2) / 6 = {n} blocks, {additions} residual "
    "additions; yours has {adds}.":
        "ResNet-{depth} 有三个阶段，每个阶段 n = (depth − 2) / 6 = {n} 个块，共 {additions} 次"
        "残差加法；你的模型有 {adds} 次。",
    "the paper's ResNets use none (pass use_bias=False to the stem convolution and to "
    "rh.residual_block).":
        "论文中的 ResNet 都不用偏置（请给起始卷积层和 rh.residual_block 传入 use_bias=False）。",
    "With width {width} the last stage should output (8, 8, {channels}); yours ends at {last}. "
    "The first block of stages 2 and 3 has stride=2 and doubles the filters (width, 2·width, "
    "4·width).":
        "宽度为 {width} 时，最后一个阶段应当输出 (8, 8, {channels})；你的模型最后得到的是 {last}。"
        "第 2 和第 3 阶段的第一个块使用 stride=2，并把滤波器个数加倍（width、2·width、4·width）。",
    "Your model uses projection shortcuts; the paper's CIFAR ResNets use the parameter-free "
    "padding shortcut: rh.residual_block(…, shortcut='padding').":
        "你的模型使用了投影快捷连接；论文中的 CIFAR ResNet 使用没有参数的填充快捷连接："
        "rh.residual_block(…, shortcut='padding')。",
    "ResNet-{depth} of width {width} has {want:,} parameters, yours {got:,}. Compare "
    "rh.stage_summary(your_model) with rh.stage_summary(rh.build_resnet({depth}, "
    "width={width})).":
        "宽度为 {width} 的 ResNet-{depth} 有 {want:,} 个参数，你的模型有 {got:,} 个。请对照 "
        "rh.stage_summary(your_model) 和 rh.stage_summary(rh.build_resnet({depth}, "
        "width={width}))。",
    "Your networks match rh.build_resnet in shape, residual blocks and parameters at two depths "
    "and random widths.":
        "在两种深度和随机的宽度下，你的网络在形状、残差块和参数量上都与 rh.build_resnet 一致。",
    # 02.5 from which depth a ResNet costs more than the snippet
    "From which depth does a ResNet cost more than the snippet?":
        "从哪个深度开始，ResNet 的计算代价超过原始代码片段中的网络？",
    "Compute rh.count_multiply_adds for rh.build_resnet(depth) at growing depths 6n+2 and "
    "compare with rh.build_simple_resnet(); every extra block per stage adds the same cost.":
        "在逐渐增大的深度 6n+2 上计算 rh.build_resnet(depth) 的 rh.count_multiply_adds，"
        "并与 rh.build_simple_resnet() 比较；每个阶段每多一个块，增加的代价都相同。",
    "{answer} is not a depth 6n + 2 (8, 14, 20, …); a CIFAR ResNet has no other.":
        "{answer} 不是 6n + 2 形式的深度（8、14、20……）；CIFAR ResNet 只有这样的深度。",
    "Right: ResNet-{depth} ({macs:.0f}M multiply-adds) is the first to cost more than the "
    "snippet's network ({snippet:.0f}M).":
        "正确：ResNet-{depth}（{macs:.0f}M 次乘加运算）是第一个比原始代码片段中的网络"
        "（{snippet:.0f}M）代价更高的 ResNet。",
    "ResNet-{depth} costs {macs:.0f}M multiply-adds per image, still less than the snippet's "
    "{snippet:.0f}M.":
        "ResNet-{depth} 处理每张图像需要 {macs:.0f}M 次乘加运算，仍少于原始代码片段中网络的 "
        "{snippet:.0f}M。",
    "ResNet-{depth} does cost more ({macs:.0f}M vs the snippet's {snippet:.0f}M), but so does "
    "ResNet-{shallower} ({shallower_macs:.0f}M): find the first.":
        "ResNet-{depth} 的代价确实更高（{macs:.0f}M，而原始代码片段中的网络为 {snippet:.0f}M），"
        "但 ResNet-{shallower}（{shallower_macs:.0f}M）也是如此：请找出第一个。",
}
