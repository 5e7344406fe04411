"""Chinese texts of lesson 05's exercises (``course/exercises/lesson05.py``): the shortest
path through ResNet-44, compounding gradients, gradient norms by hand, a filter-normalised
direction, and where plain-20's gradients are largest."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 05.1 the shortest weighted path from the loss to the stem of ResNet-44
    "The shortest path from the loss to the stem of ResNet-44":
        "从损失到 ResNet-44 起始层的最短路径",
    "Every residual block offers two ways through: its branch (two convolutions) or its "
    "shortcut. The padding shortcut of the first block of stages 2 and 3 subsamples and adds "
    "zero channels: it has no weights. Count Conv2D and Dense layers only.":
        "每个残差块都提供两条通路：它的分支（两个卷积）或它的快捷连接。"
        "第 2 和第 3 阶段第一个块的填充快捷连接做下采样并补上全零的通道：它没有权重。"
        "只计算 Conv2D 层和 Dense 层。",
    "that is the longest path, through both convolutions of every block — the only path "
    "plain-{plain} has. The shortcuts open shorter ones.":
        "这是最长的路径，它穿过每个块的两个卷积——这也是 plain-{plain} 仅有的一条路径。"
        "快捷连接开辟了更短的路径。",
    "that is the longest path without the Dense layer; the question asks for the shortest, and "
    "counts the Dense classifier too.":
        "这是不算 Dense 层时最长的路径；题目问的是最短的路径，而且 Dense 分类器也要计算在内。",
    "that would be ResNet-44 with projection shortcuts (option B), whose 1×1 shortcut "
    "convolutions have weights; the padding shortcut of rh.build_resnet(44) has none.":
        "这是使用投影快捷连接（选项 B）的 ResNet-44 的答案，它快捷连接上的 1×1 卷积有权重；"
        "而 rh.build_resnet(44) 的填充快捷连接没有权重。",
    "the first block of stages 2 and 3 changes the shape, but its padding shortcut has no "
    "weights: the path can skip those blocks' convolutions too.":
        "第 2 和第 3 阶段的第一个块会改变形状，但它的填充快捷连接没有权重："
        "路径同样可以跳过这些块的卷积。",
    "count only convolutions and the Dense layer: BatchNorm, ReLU and pooling are not counted, "
    "and the padding shortcut has no weights at all.":
        "只计算卷积层和 Dense 层：批量规范化、ReLU 和汇聚层都不计入，而填充快捷连接根本没有权重。",
    "a shortcut skips both convolutions of its block, not one.":
        "一条快捷连接跳过的是它所在块的两个卷积，而不是一个。",
    "a shortcut skips both convolutions of its block, not one; and the stem and the Dense layer "
    "count too.":
        "一条快捷连接跳过的是它所在块的两个卷积，而不是一个；而且起始层和 Dense 层也要计算在内。",
    "both ends count: the stem convolution and the Dense classifier.":
        "两端都要计算在内：起始层的卷积和 Dense 分类器。",
    "the stem convolution and the Dense classifier are on every path, and both count.":
        "起始层的卷积和 Dense 分类器在每条路径上，两者都要计算在内。",
    " The stem convolution and the Dense classifier: every block, the downsampling ones too, can "
    "be skipped by its shortcut. ResNet-44's 2{paths} paths have 2, 4, …, {longest} weighted "
    "layers.":
        "即起始层的卷积和 Dense 分类器：每个块（包括做下采样的块）都可以经由它的快捷连接被跳过。"
        "ResNet-44 的 2{paths} 条路径上带权重的层数从 2、4、…… 直到 {longest} 不等。",
    # 05.2 gradients compounding over plain-56's convolutions
    "Gradients compounding over plain-56's 55 convolutions":
        "梯度在 plain-56 的 55 个卷积层中逐层累乘",
    "Between the last and the first of 55 layers the gradient passes 54 layers, and each "
    "multiplies its norm by 1.1: factors multiply, they do not add.":
        "在 55 层中，从最后一层到第一层，梯度要经过 54 层，每一层都把它的范数乘以 1.1："
        "这些因子是相乘的，而不是相加的。",
    "between 55 layers there are 54 steps, not 55.": "55 层之间有 54 步，而不是 55 步。",
    "the gradient crosses 54 steps between the 55 convolutions, not 56.":
        "在 55 个卷积层之间，梯度要跨过 54 步，而不是 56 步。",
    "factors multiply: 1.1 · 1.1 · … (54 times) = 1.1⁵⁴, not 1 + 54 · 0.1.":
        "因子是相乘的：1.1 · 1.1 · …（共 54 次）= 1.1⁵⁴，而不是 1 + 54 · 0.1。",
    "factors multiply: 1.1⁵⁴, not 1.1 × 54.": "因子是相乘的：1.1⁵⁴，而不是 1.1 × 54。",
    "each layer multiplies by 1.1, not each block: 54 steps, not 27.":
        "乘以 1.1 的是每一层，而不是每个块：54 步，而不是 27 步。",
    # 05.3 gradient norms per convolution, by hand
    "Gradient norms per convolution, by hand": "手工计算每个卷积层的梯度范数",
    "Under a tf.GradientTape call the model in training mode, take the mean sparse categorical "
    "cross-entropy, and the L2 norm of the gradient of each main-path Conv2D kernel (leave out "
    "the shortcut projections), input to output.":
        "在 tf.GradientTape 中以训练模式调用模型，取稀疏分类交叉熵的平均值，"
        "再按从输入到输出的顺序，计算每个主路径 Conv2D 卷积核的梯度的 L2 范数（不包括快捷连接中的"
        "投影）。",
    "Return one norm per convolution (a list or array of numbers); got {kind}.":
        "请为每个卷积层返回一个范数（由数字组成的列表或数组）；而你返回的是 {kind}。",
    "You returned {returned} norms: the shortcut projections are included. Measure the {main} "
    "main-path convolutions (names without 'shortcut').":
        "你返回了 {returned} 个范数：其中包括了快捷连接中的投影。"
        "请测量 {main} 个主路径卷积层（名称中不含 'shortcut' 的层）。",
    "This network has {main} main-path convolutions; you returned {returned} norms.":
        "这个网络有 {main} 个主路径卷积层；而你返回了 {returned} 个范数。",
    "Your norms match rh.gradient_norms on a fresh random network and batch.":
        "在一个新的随机网络和批量上，你的范数与 rh.gradient_norms 的结果一致。",
    "Your norms run output to input; list them input first.":
        "你的范数是按从输出到输入的顺序排列的；请从输入一端开始排列。",
    "you called the model in inference mode; a training step (and rh.gradient_norms) uses "
    "training=True, so BatchNorm normalises with the batch's own statistics.":
        "你以推理模式调用了模型；训练步（以及 rh.gradient_norms）使用 training=True，"
        "这样批量规范化会用该批量自身的统计量进行规范化。",
    "you summed the loss over the batch; take its mean (the loss a training step uses).":
        "你对批量上的损失求了和；请取它的平均值（训练步使用的正是这个损失）。",
    "you returned squared norms; take the L2 norm itself (tf.norm).":
        "你返回的是范数的平方；请取 L2 范数本身（tf.norm）。",
    "Your norms are off: {message}": "你的范数不对：{message}",
    "Your norms differ from rh.gradient_norms's (first layer: yours {yours:.3g}, expected "
    "{expected:.3g}).":
        "你的范数与 rh.gradient_norms 的结果不同（第一层：你的是 {yours:.3g}，"
        "应为 {expected:.3g}）。",
    # 05.4 a filter-normalised direction
    "A filter-normalised direction (Li et al. 2018)": "按滤波器归一化的方向（Li 等人 2018）",
    "For each array with 2 or more axes, rescale every output filter (the last axis) of the "
    "direction to the norm of the same filter of the weights; arrays with one axis (biases, γ, "
    "β) get zeros.":
        "对于每个有 2 个或更多轴的数组，把方向中的每个输出滤波器（沿最后一个轴的切片）"
        "缩放到权重中同一滤波器的范数；只有一个轴的数组（偏置、γ、β）则置为零。",
    " of length {length}": "（长度为 {length}）",
    "Return a list with one array per weight ({count} here); got {kind}{length}.":
        "请返回一个列表，每个权重对应一个数组（这里共 {count} 个）；而你返回的是 {kind}{length}。",
    "Each returned array must have the shape of its weight: expected {expected}, got {got}.":
        "返回的每个数组都必须与对应权重的形状相同：应为 {expected}，而你给出的是 {got}。",
    "Your directions match rh.inspect.analysis.filter_normalized_direction, filter by filter.":
        "你的方向与 rh.inspect.analysis.filter_normalized_direction 的结果逐个滤波器地一致。",
    "The 1-D arrays (biases, BatchNorm γ and β) must get a zero direction; yours moves them.":
        "一维数组（偏置、批量规范化的 γ 和 β）的方向必须为零；而你的方向会移动它们。",
    "you scaled the whole array at once; scale each filter (last axis) separately.":
        "你把整个数组一次性缩放了；请分别缩放每个滤波器（沿最后一个轴的切片）。",
    "each filter has norm 1; scale it to the norm of the weights' same filter.":
        "每个滤波器的范数都是 1；请把它缩放到权重中同一滤波器的范数。",
    "you normalised along the first axis; a filter is a slice along the last axis (output "
    "channels) in Keras kernels.":
        "你是沿第一个轴归一化的；在 Keras 的卷积核中，一个滤波器是沿最后一个轴（输出通道）"
        "的切片。",
    "For the kernel of shape {shape}: {message}": "对于形状为 {shape} 的卷积核：{message}",
    "For the kernel of shape {shape} your direction differs: each filter of it should be d_f · "
    "‖w_f‖ / ‖d_f‖.":
        "对于形状为 {shape} 的卷积核，你的方向不对：它的每个滤波器都应当是 d_f · ‖w_f‖ / ‖d_f‖。",
    "Your directions differ from rh.inspect.analysis.filter_normalized_direction.":
        "你的方向与 rh.inspect.analysis.filter_normalized_direction 的结果不同。",
    # 05.5 plain-20 at initialisation: first layers over last layers
    "Plain-20 at initialisation: first or last layers, larger gradients?":
        "初始化时的 plain-20：前几层和最后几层，谁的梯度更大？",
    "Build rh.build_plain(20), call rh.gradient_norms on a batch of 32 images (your probe, or "
    "random 0–255 pixels), and divide the mean of the first two norms by the mean of the last "
    "two.":
        "构建 rh.build_plain(20)，在一个 32 张图像的批量上（你的 probe，或取值 0–255 的随机像素）"
        "调用 rh.gradient_norms，然后用前两个范数的平均值除以后两个范数的平均值。",
    "{value:g}: a ratio of norms is positive.": "{value:g}：范数之比一定是正数。",
    "Right: the first layers get about {value:.1f}× the gradient of the last ones (this check "
    "measured {expected:.1f}×). With BatchNorm the gradient grows towards the input, the "
    "opposite of the textbook's vanishing gradients.":
        "正确：前几层收到的梯度约为最后几层的 {value:.1f} 倍（本次检查测得 {expected:.1f} 倍）。"
        "使用批量规范化时，梯度朝着输入方向增大，与教科书上所说的梯度消失正好相反。",
    "{value:.2f} looks like last / first; the question asks first / last.":
        "{value:.2f} 看起来是最后几层除以前几层；题目问的是前几层除以最后几层。",
    "{value:.2f}: that is what a ResNet shows (its shortcuts keep the norms alike); did you "
    "build rh.build_resnet instead of rh.build_plain?":
        "{value:.2f}：这是 ResNet 会给出的结果（它的快捷连接让各层的范数保持相近）；"
        "你是不是构建了 rh.build_resnet，而不是 rh.build_plain？",
    "{value:.3g} is far from what this check measures ({expected:.1f}× on random images); use "
    "the first two and the last two of the 19 norms.":
        "{value:.3g} 与本次检查测得的结果（在随机图像上为 {expected:.1f} 倍）相差很远；"
        "请使用 19 个范数中的前两个和最后两个。",
}
