"""Chinese texts of lesson 01's exercises (``course/exercises/lesson01.py``): the residual
block's parameters, a block by hand, the pre-activation block, the zero-initialised block."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 01.1 parameters of a projection shortcut
    "Parameters of a projection shortcut, 64 → 128 channels":
        "投影快捷连接的参数量（64 → 128 个通道）",
    "The projection is a 1×1 convolution without bias (k·k·c_in·c_out weights) followed by a "
    "BatchNormalization: 2 learned numbers per channel (γ, β) and 2 running statistics (mean, "
    "variance), and Keras counts all four as parameters.":
        "投影是一个不带偏置的 1×1 卷积（k·k·c_in·c_out 个权重），后接一个批量规范化层：每个通道"
        "有 2 个需要学习的数（γ、β）和 2 个滑动统计量（均值、方差），Keras 把这四个都算作参数。",
    "that is the 1×1 convolution alone; the BatchNormalization after it has parameters too (γ, "
    "β, moving mean, moving variance per channel).":
        "这只是 1×1 卷积本身；它后面的批量规范化层也有参数（每个通道的 γ、β、滑动均值和滑动方差）。",
    "you counted a bias for the convolution; the paper's convolutions have none, because the "
    "BatchNorm right after them has its own offset β.":
        "你给卷积算上了偏置；论文中的卷积层都不带偏置，因为紧随其后的批量规范化有自己的偏移 β。",
    "BatchNorm has 2 learned numbers per channel (γ, β) and 2 running statistics (mean, "
    "variance); Keras counts all four.":
        "批量规范化每个通道有 2 个需要学习的数（γ、β）和 2 个滑动统计量（均值、方差）；"
        "Keras 把这四个都算作参数。",
    "you used a 3×3 kernel; the projection is a 1×1 convolution.":
        "你用的是 3×3 的卷积核；投影是一个 1×1 卷积。",
    "the projection outputs the block's 128 channels, not 64.":
        "投影输出的是这个块的 128 个通道，而不是 64 个。",
    # 01.2 parameters of a basic block
    "Parameters of a basic block 16 → 32, stride 2, padding shortcut":
        "基本块 16 → 32（步幅为 2，填充快捷连接）的参数量",
    "Two 3×3 convolutions (the second one reads the first one's 32 channels), two BatchNorms of "
    "32 channels, and a shortcut that costs nothing.":
        "两个 3×3 卷积（第二个读取第一个输出的 32 个通道），两个 32 通道的批量规范化层，"
        "以及一条没有任何参数的快捷连接。",
    "those are the convolutions alone; add the two BatchNorms (2 learned + 2 running statistics "
    "per channel each).":
        "这只是卷积层本身；还要加上两个批量规范化层（每个通道各有 2 个需要学习的数和 2 个滑动统计量）。",
    "you counted convolution biases; use_bias=False here, as in the paper (BatchNorm follows "
    "every convolution).":
        "你算上了卷积的偏置；这里和论文一样 use_bias=False（每个卷积之后都跟着批量规范化）。",
    "besides γ and β, BatchNorm keeps 2 running statistics per channel (mean, variance), and "
    "Keras counts them too.":
        "除了 γ 和 β，批量规范化在每个通道上还保存 2 个滑动统计量（均值、方差），"
        "Keras 也把它们算作参数。",
    "you added a projection shortcut; the padding shortcut (option A) has no parameters.":
        "你加了一条投影快捷连接；填充快捷连接（选项 A）没有参数。",
    "the second convolution reads 32 channels, not 16: 3·3·32·32.":
        "第二个卷积读取的是 32 个通道，而不是 16 个：3·3·32·32。",
    # 01.3 a residual block by hand with the padding shortcut
    "A residual block by hand with the padding shortcut": "手工编写使用填充快捷连接的残差块",
    "conv1 (3×3, stride) → BN → ReLU → conv2 (3×3) → BN gives F(x); the shortcut keeps every "
    "stride-th pixel and appends zero channels; out = ReLU(F(x) + shortcut).":
        "conv1（3×3，带步幅）→ BN → ReLU → conv2（3×3）→ BN 得到 F(x)；快捷连接每隔 stride "
        "个像素保留一个，并补上全零的通道；out = ReLU(F(x) + shortcut)。",
    "F(x) and the shortcut must have the same shape before the Add: when the block has a stride "
    "or more channels, subsample the shortcut with the same stride and append zero channels.":
        "在 Add 之前，F(x) 和快捷连接的形状必须相同：当块带有步幅或增加了通道数时，"
        "要以同样的步幅对快捷连接下采样，并补上全零的通道。",
    "it keeps the 8×8 size: stride=2 belongs in the first convolution and in the shortcut's "
    "subsampling":
        "它保持了 8×8 的尺寸：stride=2 应当用在第一个卷积和快捷连接的下采样中",
    "check the strides and the number of filters": "请检查步幅和滤波器个数",
    "With {c_in} → {filters} channels and stride {stride}, an 8×8 input should give {want}; your "
    "block gives {got}: {where}.":
        "通道数为 {c_in} → {filters}、步幅为 {stride} 时，8×8 的输入应当得到 {want}；"
        "你的块得到的是 {got}：{where}。",
    "Your block has three convolutions: that is the projection shortcut (option B). This "
    "exercise asks for the padding shortcut (option A): subsample x[:, ::stride, ::stride, :] "
    "and append zero channels.":
        "你的块有三个卷积层：这是投影快捷连接（选项 B）。这道练习要求的是填充快捷连接（选项 A）："
        "用 x[:, ::stride, ::stride, :] 下采样，再补上全零的通道。",
    "rh.ChannelPadShortcut(filters, stride) does it, or keras.ops.pad in a keras.layers.Lambda.":
        "rh.ChannelPadShortcut(filters, stride) 可以做到这一点，也可以在 keras.layers.Lambda 中"
        "使用 keras.ops.pad。",
    "A basic block has two 3×3 convolutions and two BatchNormalizations; yours has {convs} "
    "Conv2D and {bns} BatchNormalization layers.":
        "基本块有两个 3×3 卷积层和两个批量规范化层；你的块有 {convs} 个 Conv2D 层和 {bns} 个 "
        "BatchNormalization 层。",
    "Your block has {got:,} parameters; rh.residual_block with the same settings has {want:,}. "
    "Check kernel sizes (3×3) and that the second convolution has `filters` inputs and outputs.":
        "你的块有 {got:,} 个参数；相同设置下的 rh.residual_block 有 {want:,} 个。请检查卷积核"
        "大小（3×3），以及第二个卷积的输入和输出是否都是 `filters` 个通道。",
    "Stride {stride}, {c_in} → {filters} channels: {problem}":
        "步幅为 {stride}，{c_in} → {filters} 个通道：{problem}",
    "the shortcut is added after the ReLU: your block computes ReLU(F(x)) + x. The ReLU belongs "
    "after the addition: ReLU(F(x) + shortcut(x)).":
        "快捷连接是在 ReLU 之后才加上的：你的块计算的是 ReLU(F(x)) + x。ReLU 应当放在加法之后："
        "ReLU(F(x) + shortcut(x))。",
    "there is a ReLU on the branch before the addition (ReLU(ReLU(F(x)) + x)); F(x) ends with "
    "the second BatchNorm, no ReLU, so it can be negative.":
        "分支在加法之前多了一个 ReLU（ReLU(ReLU(F(x)) + x)）；F(x) 以第二个批量规范化结束，"
        "后面没有 ReLU，因此它可以取负值。",
    "the final ReLU after the addition is missing: out = ReLU(F(x) + shortcut(x)).":
        "缺少加法之后的最后一个 ReLU：out = ReLU(F(x) + shortcut(x))。",
    "your block ignores the shortcut: that is the plain block, ReLU(F(x)).":
        "你的块忽略了快捷连接：这是普通块 ReLU(F(x))。",
    "the stride is on the second convolution; the paper (and rh.residual_block) downsample in "
    "the first one, so the second works on the small map.":
        "步幅放在了第二个卷积上；论文（以及 rh.residual_block）在第一个卷积中下采样，"
        "这样第二个卷积就在较小的特征图上计算。",
    "the shapes and parameter count are right, but the values are not "
    "ReLU(BN(conv2(ReLU(BN(conv1(x))))) + shortcut(x)). Check the order conv → BN → ReLU and "
    "the shortcut (subsample, then zero channels).":
        "形状和参数量都对，但输出值不等于 ReLU(BN(conv2(ReLU(BN(conv1(x))))) + shortcut(x))。"
        "请检查 conv → BN → ReLU 的顺序，以及快捷连接（先下采样，再补全零的通道）。",
    "Your block matches rh.residual_block(shortcut='padding') on fresh random weights and "
    "inputs, with and without downsampling.":
        "在全新的随机权重和输入上，无论有没有下采样，你的块都与 "
        "rh.residual_block(shortcut='padding') 一致。",
    # 01.4 a pre-activation block
    "A pre-activation block (He et al. 2016)": "预激活块（He 等人，2016）",
    "Pre-activation: BN → ReLU → conv → BN → ReLU → conv, then add x; nothing after the "
    "addition.":
        "预激活：BN → ReLU → conv → BN → ReLU → conv，然后加上 x；加法之后不再有任何操作。",
    "With {c} channels and an 8×8 input the block must keep the shape (8, 8, {c}); yours gives "
    "{got}.":
        "输入为 8×8、{c} 个通道时，这个块必须保持形状 (8, 8, {c})；你的块得到的是 {got}。",
    "The pre-activation block has two convolutions and two BatchNorms; yours has {convs} Conv2D "
    "and {bns} BatchNormalization layers.":
        "预激活块有两个卷积层和两个批量规范化层；你的块有 {convs} 个 Conv2D 层和 {bns} 个 "
        "BatchNormalization 层。",
    "Your block has {got:,} parameters, rh.residual_block(preact=True) {want:,}: both "
    "convolutions are 3×3.":
        "你的块有 {got:,} 个参数，而 rh.residual_block(preact=True) 有 {want:,} 个："
        "两个卷积都是 3×3 的。",
    "Your block matches rh.residual_block(preact=True) on fresh random weights.":
        "在全新的随机权重上，你的块与 rh.residual_block(preact=True) 一致。",
    "a ReLU follows the addition. In the pre-activation block nothing follows it: the shortcut "
    "path stays a pure identity through the whole network.":
        "加法之后跟了一个 ReLU。预激活块在加法之后没有任何操作：这样快捷连接这条通路在整个网络中"
        "始终是纯粹的恒等映射。",
    "this is the post-activation (original) order conv → BN → ReLU. Move each BN and ReLU "
    "before its convolution.":
        "这是后激活（原始设计）的顺序 conv → BN → ReLU。请把每个 BN 和 ReLU 移到它对应的卷积之前。",
    "you added the normalised input ReLU(BN(x)); with an identity shortcut add the raw x.":
        "你加上的是规范化后的输入 ReLU(BN(x))；恒等快捷连接应当加上原始的 x。",
    "Your block: {problem}": "你的块：{problem}",
    "The shapes are right but the values are not conv2(ReLU(BN(conv1(ReLU(BN(x)))))) + x. Check "
    "the order of BN, ReLU and convolution on the branch.":
        "形状是对的，但输出值不等于 conv2(ReLU(BN(conv1(ReLU(BN(x)))))) + x。"
        "请检查分支上 BN、ReLU 和卷积的顺序。",
    # 01.5 which layers learn first in a zero-initialised block
    "Which layers learn in the first step of a zero-initialised block?":
        "零初始化的块在第一个训练步中，哪些层会学习？",
    "Differentiate any loss of the block's output with tf.GradientTape with respect to "
    "model.trainable_weights, and list the layers whose gradient is not all zeros.":
        "用 tf.GradientTape 把块输出的任意一个损失对 model.trainable_weights 求导，"
        "列出梯度不全为零的层。",
    "Answer with a list of layer names, e.g. ['b_conv1', 'b_bn1'].":
        "请用层名组成的列表作答，例如 ['b_conv1', 'b_bn1']。",
    "{unknown} are not layers of this block; its layers with weights are {names}.":
        "{unknown} 不是这个块的层；它带权重的层是 {names}。",
    "Right: only {layers} moves at first. γ = 0 multiplies every gradient flowing back into the "
    "branch, so the convolutions wait until γ has grown.":
        "正确：一开始只有 {layers} 在变化。γ = 0 乘在每一个流回分支的梯度上，"
        "所以卷积层要等 γ 变大之后才开始学习。",
    "{layers} get an all-zero gradient at the first step: everything behind b_bn2 reaches the "
    "output only through γ·x̂, and γ = 0.":
        "{layers} 在第一步得到的梯度全为零：b_bn2 之前的一切只能通过 γ·x̂ 影响输出，而 γ = 0。",
    "You left out {layers}: its γ and β do get a gradient (dL/dβ = Σ dL/dy, dL/dγ = Σ dL/dy·x̂), "
    "which is how the branch starts to grow.":
        "你漏掉了 {layers}：它的 γ 和 β 确实会得到梯度（dL/dβ = Σ dL/dy，dL/dγ = Σ dL/dy·x̂），"
        "分支正是这样开始增长的。",
}
