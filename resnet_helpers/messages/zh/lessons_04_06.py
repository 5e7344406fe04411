"""Chinese texts that lessons 04–06 print (``rh.tr`` in the code cells of
``notebooks/04_feature_maps.ipynb``, ``05_why_residuals_work.ipynb`` and
``06_your_own_images.ipynb``): their conclusions, claims, checks and table headers, in the terms of
the Chinese edition's prose; and the parameter errors of :mod:`resnet_helpers.course.lessons`.

Texts these lessons share with lessons 01–03 (``"All checks passed."``, ``"{minutes:.1f} min"``,
``"parameters"``, ``"depth"``…) and with the figures (``"training error"``, ``"test accuracy"``…)
are translated once, in ``lessons_01_03.py`` and ``figures.py``."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 04 — feature maps: which network is inspected
    "Give MODEL_PATH or PRETRAINED, not both.": "请给出 MODEL_PATH 或 PRETRAINED 之一，不要同时给出两者。",
    "No trained model at {path} (run lesson 03 to inspect your own); using the shipped one.":
        "{path} 处没有训练好的模型（运行第 03 课，就可以检查你自己的模型）；改用课程自带的模型。",
    "shipped networks: {shipped}; inspecting {name}": "课程自带的网络：{shipped}；检查 {name}",
    "inspecting the pretrained {name} ({params:,} parameters): test accuracy {accuracy:.2%} on "
    "{images:,} test images, {epochs} epochs on {device}":
        "检查预训练的 {name}（{params:,} 个参数）：在 {images:,} 张测试图像上的测试准确率为 "
        "{accuracy:.2%}，在 {device} 上训练了 {epochs} 个迭代周期",
    "inspecting {name} ({params:,} parameters) from {path}":
        "检查来自 {path} 的 {name}（{params:,} 个参数）",
    "trained in lesson 03 for {epochs} epochs: test accuracy {accuracy:.2%}":
        "在第 03 课中训练了 {epochs} 个迭代周期：测试准确率 {accuracy:.2%}",
    "{name} (shipped)": "{name}（课程自带）",
    "{name} (yours)": "{name}（你的）",
    "sections 3–5 compare: {networks}": "第 3–5 节比较：{networks}",
    # 04 — feature maps and the first layer's filters
    "{name:>20}: {shape}  mean activation {mean:.3f}, {active:.0%} of units active":
        "{name:>20}：{shape}  平均激活值 {mean:.3f}，{active:.0%} 的单元处于激活状态",
    "{name}'s first layer was not learned (a frozen layer of whitening filters, set from the data "
    "in lesson 03): the filters below are the shipped ResNet-20's, which were":
        "{name} 的第一层不是学出来的（它是第 03 课根据数据设定的、冻结的白化滤波器层）：下面是课程自带的 ResNet-20 学到的滤波器",
    "stem kernel shape (height, width, input channels, filters): {shape}":
        "起始层卷积核的形状（高，宽，输入通道数，滤波器数）：{shape}",
    "median over {filters} filters: flat colour {flat:.0%} of the filter (random filters: "
    "{random_flat:.0%}); linear ramp {ramp:.0%} of the rest (random: {random_ramp:.0%})":
        "{filters} 个滤波器的中位数：均匀颜色占滤波器的 {flat:.0%}（随机滤波器：{random_flat:.0%}）；"
        "线性渐变占其余部分的 {ramp:.0%}（随机滤波器：{random_ramp:.0%}）",
    "{colour} filters are mostly flat colour (> 50%), {edge} mostly an oriented ramp (edge-like, "
    "> 60% of the rest), {neither} neither — closer to what random filters look like":
        "{colour} 个滤波器以均匀颜色为主（> 50%），{edge} 个以有方向的渐变为主（类似边缘，"
        "占其余部分的 60% 以上），{neither} 个两者都不是——更接近随机滤波器的样子",
    "edge": "边缘",
    "colour": "颜色",
    # 04 — Grad-CAM
    "{label}: Grad-CAM at {layer}, {rows}×{cols} cells of {height}×{width} pixels each (between "
    "the cells' centres the drawing interpolates)":
        "{label}：在 {layer} 上计算 Grad-CAM，共 {rows}×{cols} 个格子，每个格子 {height}×{width} "
        "像素（格子中心之间的部分由绘图插值）",
    # 04 — how much each residual block changes its input
    "{label} has no shortcuts (a plain network): there is no residual branch to measure.":
        "{label} 没有快捷连接（是一个普通网络）：没有可以测量的残差分支。",
    "{label}: {ratios}": "{label}：{ratios}",
    "{label}: how much each block changes its input": "{label}：每个块对其输入的改变有多大",
    "  largest change: {largest} ({largest_ratio:.2f}); smallest: {smallest} "
    "({smallest_ratio:.2f}); {small} of {blocks} blocks add a small correction (< 0.5), {middle} "
    "a large one (0.5–1), {rewrite} rewrite their input (≥ 1)":
        "  变化最大：{largest}（{largest_ratio:.2f}）；最小：{smallest}（{smallest_ratio:.2f}）；"
        "{blocks} 个块中，{small} 个加上了小的修正（< 0.5），{middle} 个带来了大的变化（0.5–1），"
        "{rewrite} 个改写了自己的输入（≥ 1）",
    "the 'refinement' view holds: every block adds a small correction to its input":
        "“逐步修正”的观点成立：每个块都只给它的输入加上一个小的修正",
    "the 'refinement' view holds for most blocks, not all: {blocks} change their input "
    "substantially":
        "“逐步修正”的观点对大多数块成立，但并非全部：{blocks} 大幅改变了自己的输入",
    "the 'refinement' view does not hold: most blocks change their input substantially":
        "“逐步修正”的观点不成立：大多数块都大幅改变了自己的输入",
    # 04 — deleting one block at a time
    "{label}: no residual block that keeps its input's shape, nothing to delete":
        "{label}：没有保持输入形状不变的残差块，没有可删去的块",
    "{label}: {intact:.1%} intact on {n:,} test images; deleting one of its {blocks} removable "
    "blocks costs {least:.1f} to {most:.1f} points (most: {worst}, mean {mean:.1f})":
        "{label}：完整时在 {n:,} 张测试图像上为 {intact:.1%}；从它的 {blocks} 个可删去的块中删去一个，"
        "代价为 {least:.1f} 到 {most:.1f} 个百分点（最多：{worst}，平均 {mean:.1f}）",
    "test accuracy ({n:,} images)": "测试准确率（{n:,} 张图像）",
    "the network with more blocks spreads its work over them, as the ensemble view predicts":
        "块更多的网络把工作分散到了这些块上，正如集成观点所预测的那样",
    "here the network with more blocks does not lose less per block":
        "在这里，块更多的网络每删去一个块的损失并没有更小",
    "one block deleted costs {few_cost:.1f} points on average in {few} ({few_blocks} removable "
    "blocks) and {many_cost:.1f} in {many} ({many_blocks}): {verdict}":
        "删去一个块，{few}（{few_blocks} 个可删去的块）平均损失 {few_cost:.1f} 个百分点，"
        "{many}（{many_blocks} 个）平均损失 {many_cost:.1f} 个百分点：{verdict}",
    # 04 — checks
    "Unknown layers are explained: {message} …": "未知的层会得到说明：{message} …",

    # 05 — settings and data
    "DEPTHS must be [shallow, deep], e.g. [20, 44]; got {depths}.":
        "DEPTHS 必须是 [浅, 深]，例如 [20, 44]；得到的是 {depths}。",
    "depths {shallow} and {deep}; {images:,} training images of {side}×{side} pixels × {epochs} "
    "epochs; results in {folder}":
        "深度 {shallow} 和 {deep}；{images:,} 张 {side}×{side} 像素的训练图像 × {epochs} 个迭代周期；"
        "结果保存在 {folder}",
    "sections 2-3 analyse the shipped, fully trained {plain} and {resnet}":
        "第 2–3 节分析课程自带的、完全训练好的 {plain} 和 {resnet}",
    "sections 2-3 analyse this lesson's own runs (shipped networks: {shipped})":
        "第 2–3 节分析本课自己的训练结果（课程自带的网络：{shipped}）",
    "training on {train:,} images of {height}×{width} pixels, validating on {val:,}, probing "
    "with {probe}":
        "训练用 {train:,} 张 {height}×{width} 像素的图像，验证用 {val:,} 张，探测用 {probe} 张",
    "estimated training time: {time} for the four networks (ResNet-{shallow}: {per_step:.2f} s "
    "per step) on {device}":
        "估计训练时间：在 {device} 上训练四个网络需要 {time}（ResNet-{shallow}：每步 "
        "{per_step:.2f} 秒）",
    # 05 — 1. degradation
    "kind": "类型",
    "minutes": "分钟",
    "plain:  {deep} layers end {gap:+.1f} points of training error from {shallow} layers":
        "普通网络：{deep} 层最终的训练误差与 {shallow} 层相比：{gap:+.1f} 个百分点",
    "ResNet: {deep} layers end {gap:+.1f} points of training error from {shallow} layers":
        "ResNet：{deep} 层最终的训练误差与 {shallow} 层相比：{gap:+.1f} 个百分点",
    "plain-{deep} trains: its training error ends {below:.0f} points below chance ({chance:.0%})":
        "plain-{deep} 得到了训练：它最终的训练误差比随机猜测的水平（{chance:.0%}）低 "
        "{below:.0f} 个百分点",
    "plain-{deep} has hardly left chance ({error:.1%} training error against {chance:.0%}): it "
    "failed to start rather than trained worse":
        "plain-{deep} 几乎没有离开随机猜测的水平（训练误差 {error:.1%}，随机猜测为 {chance:.0%}）："
        "它是没能启动训练，而不是训练得更差",
    "the deeper plain network trains, but worse; the deeper ResNet trains at least as well: "
    "{answer}":
        "更深的普通网络能够训练，但训练得更差；更深的 ResNet 训练得至少一样好：{answer}",
    "yes — He et al.'s Fig. 6 in miniature": "是——这正是缩小版的 He 等人图 6",
    "not in this run": "本次运行中并非如此",
    "plain-{deep} should train (well below chance) in the default budget":
        "在默认预算内，plain-{deep} 应当得到训练（训练误差远低于随机猜测的水平）",
    "the deeper plain network should train clearly worse (degradation)":
        "更深的普通网络应当训练得明显更差（退化）",
    "the deeper ResNet should train at least as well as the shallower one":
        "更深的 ResNet 应当训练得至少和较浅的那个一样好",
    # 05 — 2. gradient flow
    "{name} at initialisation": "{name}（初始化时）",
    "{name} trained": "{name}（训练后）",
    "{name} at initialisation, γ = 1": "{name}（初始化时，γ = 1）",
    "gradient norm per convolution, depth {deep}": "每个卷积层的梯度范数，深度 {deep}",
    "first layers": "前几层",
    "last layers": "最后几层",
    "first / last": "前几层 / 最后几层",
    "max / min over layers": "各层的最大值 / 最小值",
    "‖g‖/‖W‖: max / min over layers": "‖g‖/‖W‖：各层的最大值 / 最小值",
    "at initialisation, gradient norms across the {convolutions} convolutions of plain-{deep} "
    "span a factor {plain:,.0f}; those of ResNet-{deep} a factor {resnet:.1f} with this lesson's "
    "branches (γ = {gamma}), {paper:.1f} with the paper's (γ = 1)":
        "初始化时，plain-{deep} 的 {convolutions} 个卷积层的梯度范数相差 {plain:,.0f} 倍；"
        "ResNet-{deep} 的梯度范数采用本课的分支（γ = {gamma}）时相差 {resnet:.1f} 倍，"
        "采用论文的分支（γ = 1）时相差 {paper:.1f} 倍",
    "in plain-{deep} the first layers receive {factor:,.0f}× larger gradients than the last ones":
        "在 plain-{deep} 中，前几层收到的梯度是最后几层的 {factor:,.0f} 倍",
    "in plain-{deep} the first layers receive {factor:,.0f}× smaller gradients than the last "
    "ones":
        "在 plain-{deep} 中，前几层收到的梯度只有最后几层的 1/{factor:,.0f}",
    "after training, the first layers of plain-{deep} receive {ratio:.2g}× the gradient that the "
    "first layers of ResNet-{deep} receive":
        "训练之后，plain-{deep} 前几层收到的梯度是 ResNet-{deep} 前几层的 {ratio:.2g} 倍",
    "{orders:.1f} orders of magnitude less": "减小了 {orders:.1f} 个数量级",
    "{factor:,.0f}× less": "缩小为 1/{factor:,.0f}",
    "about the same": "大致不变",
    "per-layer step size ‖g‖/‖W‖, spread across layers: plain-{deep} ×{plain_init:,.0f} at "
    "initialisation → ×{plain_trained:,.1f} trained ({change}); ResNet-{deep} "
    "×{resnet_init:,.1f} → ×{resnet_trained:,.1f}":
        "每层的步长 ‖g‖/‖W‖ 在各层之间的跨度：plain-{deep} 从初始化时的 ×{plain_init:,.0f} → "
        "训练后的 ×{plain_trained:,.1f}（{change}）；ResNet-{deep} ×{resnet_init:,.1f} → "
        "×{resnet_trained:,.1f}",
    "plain gradients should vary far more across depth":
        "普通网络的梯度在不同深度之间的差异应当大得多",
    # 05 — 3. the loss landscape
    "falls all the way (no barrier on the line)": "一路下降（直线上没有势垒）",
    "rises by up to {rise:.2f} between two neighbouring points (a bump on the line)":
        "在两个相邻点之间最多上升 {rise:.2f}（直线上有一个鼓包）",
    "{name}: loss {start:.2f} at initialisation (ln 10 = {ln10:.2f}: guessing) → {end:.2f} "
    "trained; {path}":
        "{name}：损失从初始化时的 {start:.2f}（ln 10 = {ln10:.2f}：随机猜测）→ 训练后的 "
        "{end:.2f}；{path}",
    "loss at the centre": "中心处的损失",
    "median over the slice": "切片上的中位数",
    "max over the slice": "切片上的最大值",
    "median / centre": "中位数 / 中心",
    "max / centre": "最大值 / 中心",
    "a basin": "盆地中",
    "a plateau": "平台上",
    "{name}: loss {loss:.2f} at the trained weights, in {shape} (the slice's median is "
    "×{median:.2f} the centre, its worst ×{worst:.2f})":
        "{name}：训练后的权重处损失为 {loss:.2f}，处在{shape}（切片的中位数是中心的 ×{median:.2f}，"
        "最差处是 ×{worst:.2f}）",
    # 05 — 4. deleting a block
    "intact": "完整",
    "median after deleting one block": "删去一个块后的中位数",
    "worst": "最差",
    "share of the margin over chance lost (median)": "高出随机猜测部分的损失比例（中位数）",
    "deleting one of {blocks} blocks (median): plain-{depth} loses {plain:.0%} of what it had "
    "learned beyond guessing, ResNet-{depth} {resnet:.0%}":
        "删去 {blocks} 个块中的一个（中位数）：plain-{depth} 失去了它在随机猜测之上所学到的 "
        "{plain:.0%}，ResNet-{depth} 失去了 {resnet:.0%}",
    "{name}: a share near 0 — or below 0, when a deletion happens to help a little on these 500 "
    "images — means deleting a block costs it nothing measurable":
        "{name}：比例接近 0——或者低于 0，即删除碰巧在这 500 张图像上略有帮助——"
        "表示删去一个块对它没有可测量的代价",
    "deleting a block should cost the ResNet less than the plain network":
        "删去一个块给 ResNet 带来的损失应当比普通网络小",
    # 05 — 5. back to the claim
    "1. very deep networks: plain-{deep} ends {plain:+.1f} points of training error from "
    "plain-{shallow}; ResNet-{deep} {resnet:+.1f} points from ResNet-{shallow}.":
        "1. 非常深的网络：plain-{deep} 最终的训练误差与 plain-{shallow} 相比：{plain:+.1f} 个百分点；"
        "ResNet-{deep} 与 ResNet-{shallow} 相比：{resnet:+.1f} 个百分点。",
    "2. gradient flow: across depth, plain-{deep}'s gradient norms span ×{plain:,.0f}, "
    "ResNet-{deep}'s ×{resnet:.1f}.":
        "2. 梯度流：在不同深度之间，plain-{deep} 的梯度范数跨度为 ×{plain:,.0f}，ResNet-{deep} 的为 "
        "×{resnet:.1f}。",
    "3. landscape: {networks}.": "3. 损失曲面：{networks}。",
    "{name} sits at loss {loss:.2f} in {shape} (slice median ×{median:.2f}, worst ×{worst:.2f} "
    "the centre)":
        "{name} 处在{shape}，损失为 {loss:.2f}（切片的中位数为中心的 ×{median:.2f}，最差处为 "
        "×{worst:.2f}）",
    "4. paths: deleting one block (median) costs plain-{depth} {plain:.0%} of its accuracy above "
    "chance, ResNet-{depth} {resnet:.0%}.":
        "4. 路径：删去一个块（中位数）使 plain-{depth} 失去它高出随机猜测部分准确率的 {plain:.0%}，"
        "使 ResNet-{depth} 失去 {resnet:.0%}。",
    "saved to {path}": "已保存到 {path}",
    # 05 — 6. where the idea went: wide networks
    "convolutions": "卷积层数",
    "widest layer (channels)": "最宽的层（通道数）",
    "ResNet-9 (width {width}, as in your lesson 03)": "ResNet-9（宽度 {width}，与你在第 03 课中的相同）",
    "ResNet-9 (width {width})": "ResNet-9（宽度 {width}）",
    "ResNet-{depth} (paper)": "ResNet-{depth}（论文）",
    "{name}: {convolutions:.0f} convolutions, the widest {widest:.0f} channels; ResNet-56: "
    "{convolutions_56:.0f}, the widest {widest_56:.0f} — {fewer:.0f}× fewer layers, {wider:.0f}× "
    "the widest layer":
        "{name}：{convolutions:.0f} 个卷积层，最宽的一层有 {widest:.0f} 个通道；ResNet-56："
        "{convolutions_56:.0f} 个，最宽的一层有 {widest_56:.0f} 个——层数只有后者的 1/{fewer:.0f}，"
        "最宽的层是后者的 {wider:.0f} 倍",
    # 05 — going further
    "COMPARE_PREACT is False: set it to True to train pre-activation ResNet-{deep} beside the "
    "original.":
        "COMPARE_PREACT 为 False：把它设为 True，就会在原始的 ResNet-{deep} 旁边训练预激活的 "
        "ResNet-{deep}。",

    # 06 — settings and the image folder
    "HEAD_EPOCHS ({head}) must be smaller than EPOCHS ({epochs}): fine-tuning trains the "
    "classifier alone first, then every layer.":
        "HEAD_EPOCHS（{head}）必须小于 EPOCHS（{epochs}）：微调先单独训练分类器，再训练所有层。",
    "images of {side}×{side} pixels, {epochs} epochs per training; results in {folder}":
        "图像为 {side}×{side} 像素，每次训练 {epochs} 个迭代周期；结果保存在 {folder}",
    "your folder: {folder}": "你的文件夹：{folder}",
    "wrote {files} files into {folder}:": "向 {folder} 写入了 {files} 个文件：",
    "x_train {train_shape} {dtype}, x_test {test_shape}; {per_class:.0f} training images per "
    "class on average":
        "x_train {train_shape} {dtype}，x_test {test_shape}；平均每个类别 {per_class:.0f} 张训练图像",
    "Keras: {names}; batches of images {images} {dtype} (0–255) and labels {labels}, read from "
    "disk":
        "Keras：{names}；由图像 {images} {dtype}（0–255）和标签 {labels} 组成的批量，从磁盘读取",
    "course loader: {names}; arrays x_train {x_shape} {x_dtype}, y_train {y_shape}":
        "课程的加载函数：{names}；数组 x_train {x_shape} {x_dtype}，y_train {y_shape}",
    # 06 — 2. three ways to train on few images
    "from scratch": "从零开始",
    "from scratch, stronger augmentation": "从零开始，更强的图像增广",
    "fine-tuned ResNet-20": "微调后的 ResNet-20",
    "training accuracy": "训练准确率",
    "largest val_loss": "最大的 val_loss",
    "train − test": "训练 − 测试",
    "three ways to train on few images": "用很少的图像训练的三种方式",
    "step 1: {trainable:,} trainable parameters (the new classifier) of {total:,}":
        "第 1 步：{total:,} 个参数中有 {trainable:,} 个可训练参数（新的分类器）",
    "step 2: {trainable:,} trainable parameters": "第 2 步：{trainable:,} 个可训练参数",
    "test accuracy with {per_class} training images per class (chance: {chance:.0%}):":
        "每个类别 {per_class} 张训练图像时的测试准确率（随机猜测：{chance:.0%}）：",
    "  {name} {test:6.1%}   training accuracy {train:6.1%}":
        "  {name} {test:6.1%}   训练准确率 {train:6.1%}",
    "1. from scratch the network overfits: its training accuracy is {points:.0f} points above its "
    "test accuracy":
        "1. 从零开始训练的网络过拟合了：它的训练准确率比测试准确率高 {points:.0f} 个百分点",
    "1. from scratch the network does not overfit yet (train − test {gap:+.0%}): at {train:.0%} "
    "training accuracy it has not fitted even its own images in {epochs} epochs — it underfits":
        "1. 从零开始训练的网络还没有过拟合（训练 − 测试 {gap:+.0%}）：训练准确率只有 {train:.0%}，"
        "在 {epochs} 个迭代周期内它连自己的训练图像都没有拟合好——它是欠拟合",
    "it helped": "它起了作用",
    "it cost accuracy — a harder task to fit in the same number of epochs":
        "它损失了准确率——在同样的迭代周期数内，任务更难拟合",
    "no clear difference in this run": "本次运行中没有明显差别",
    "2. stronger augmentation: test accuracy {change:+.1f} points, train − test {before:+.0%} → "
    "{after:+.0%}: {verdict}":
        "2. 更强的图像增广：测试准确率变化 {change:+.1f} 个百分点，训练 − 测试 {before:+.0%} → "
        "{after:+.0%}：{verdict}",
    "3. fine-tuning: {lead:+.1f} points over the better network from scratch":
        "3. 微调：与从零开始训练的两个网络中较好的那个相比，{lead:+.1f} 个百分点",
    "   its validation accuracy: {first:.1%} after the first epoch, lowest {lowest:.1%}, last "
    "{last:.1%}":
        "   它的验证准确率：第一个迭代周期后为 {first:.1%}，最低 {lowest:.1%}，最后为 {last:.1%}",
    "4. largest validation loss of each training: {losses} — none above 10 × ln {classes} = "
    "{limit:.1f}: no training blew up":
        "4. 每次训练中最大的验证损失：{losses}——都没有超过 10 × ln {classes} = {limit:.1f}："
        "没有哪次训练崩掉",
    "4. largest validation loss of each training: {losses} — {runs} blew up (above 10 × ln "
    "{classes} = {limit:.1f})":
        "4. 每次训练中最大的验证损失：{losses}——{runs} 崩掉了（超过 10 × ln {classes} = {limit:.1f}）",
    "with the defaults no training should blow up: {runs}":
        "使用默认设置时，任何一次训练都不应崩掉：{runs}",
    "with the defaults, fine-tuning should beat training from scratch by more than 10 points":
        "使用默认设置时，微调应当比从零开始训练高出 10 个百分点以上",
    "fine-tuning should not end below its first epoch": "微调最终不应低于它第一个迭代周期后的水平",
    # 06 — 3. mistakes, 4. Grad-CAM, 5. saving
    "most frequent mistake: {true} taken for {predicted} ({times} of {images} test images)":
        "最常见的错误：把 {true} 当成 {predicted}（{images} 张测试图像中有 {times} 张）",
    "Grad-CAM at {layer} ({rows}×{cols} cells), from {scores}":
        "在 {layer} 上计算 Grad-CAM（{rows}×{cols} 个格子），求导的对象：{scores}",
    "saved metrics.json in {folder}; the fine-tuned model is {model}":
        "metrics.json 已保存在 {folder} 中；微调后的模型是 {model}",

    # resnet_helpers/course/lessons.py — a parameter the lesson cannot take
    "SMOKE must be True, False or None, got {value!r}.":
        "SMOKE 必须是 True、False 或 None，得到的是 {value!r}。",
    "Unknown parameter(s) {unknown} for lesson {lesson}; it takes {known}.":
        "课程 {lesson} 没有参数 {unknown}；它接受的参数是 {known}。",
    "{name} must be a positive whole number, got {value!r}.":
        "{name} 必须是正整数，得到的是 {value!r}。",
    "IMAGE_SIZES must be a list with one image side per epoch, e.g. [16, 24, 32, 32], or None; "
    "got {value!r}.":
        "IMAGE_SIZES 必须是一个列表，每个迭代周期一个图像边长，例如 [16, 24, 32, 32]，或者为 None；"
        "得到的是 {value!r}。",
    "TIME_BUDGET must be the minutes of training to plan for (10: the lesson's promise), got "
    "{value!r}.":
        "TIME_BUDGET 必须是计划的训练分钟数（10：本课承诺的时间），得到的是 {value!r}。",
    "CROP_PAD must be the pixels of random shift, a whole number from 0 (no shift) to 8 (2: the "
    "lesson's, 4: the paper's), got {value!r}.":
        "CROP_PAD 必须是随机平移的像素数，即从 0（不平移）到 8 的整数（2：本课的设置，4：论文的设置），"
        "得到的是 {value!r}。",
    "IMAGE_SIZE must be at least 8 pixels, got {value!r}.":
        "IMAGE_SIZE 必须至少为 8 像素，得到的是 {value!r}。",
    "TEST_FRACTION must be a number between 0 and 1 (0.2: a fifth of each class for testing), "
    "got {value!r}.":
        "TEST_FRACTION 必须是 0 到 1 之间的数（0.2：每个类别留出五分之一用于测试），得到的是 {value!r}。",
    "DEPTHS must be a non-empty list of depths, got {value!r}.":
        "DEPTHS 必须是一个非空的深度列表，得到的是 {value!r}。",
    "GRID must be an odd whole number >= 3 (so the centre is a grid point), got {value!r}.":
        "GRID 必须是 >= 3 的奇数（这样中心才是一个网格点），得到的是 {value!r}。",
    "MODEL must be one of {choices}, got {value!r}.": "MODEL 必须是 {choices} 之一，得到的是 {value!r}。",
    "PRECISION must be one of {choices}, got {value!r}.":
        "PRECISION 必须是 {choices} 之一，得到的是 {value!r}。",
    "{name} must be a number between 0 and 10, got {value!r}.":
        "{name} 必须是 0 到 10 之间的数，得到的是 {value!r}。",
    "BRANCH_SCALE must be a number between 0 and 10 (1.0: He et al.'s initialisation, 0: "
    "residual branches start at zero), got {value!r}.":
        "BRANCH_SCALE 必须是 0 到 10 之间的数（1.0：He 等人的初始化方式，0：残差分支从零开始），"
        "得到的是 {value!r}。",
    "SEED must be a whole number, got {value!r}.": "SEED 必须是整数，得到的是 {value!r}。",
    "PRETRAINED must be True (the shipped resnet20), False, or the name of a shipped network, one "
    "of {shipped}; got {value!r}. More are trained by benchmarks/paper_table6.py.":
        "PRETRAINED 必须是 True（课程自带的 resnet20）、False，或者课程自带网络的名称，即 {shipped} "
        "之一；得到的是 {value!r}。更多网络可以用 benchmarks/paper_table6.py 训练。",
    "TRAINED_PAIR must be None (the shipped pair if installed), True or False, got {value!r}.":
        "TRAINED_PAIR 必须是 None（若已安装，则使用课程自带的网络对）、True 或 False，"
        "得到的是 {value!r}。",
    "{name} must be True or False, got {value!r}.": "{name} 必须是 True 或 False，得到的是 {value!r}。",
    "{name} must be a folder path (a string), got {value!r}.":
        "{name} 必须是一个文件夹路径（字符串），得到的是 {value!r}。",
    "{name} {value!r} does not exist. Give an existing path, or None for the default.":
        "{name} {value!r} 不存在。请给出一个存在的路径，或者用 None 表示默认值。",
    "{path} already holds a finished run (metrics.json). Choose another RUN_DIR, or pass "
    "OVERWRITE=True to replace it.":
        "{path} 中已经有一次完成的运行（metrics.json）。请选择另一个 RUN_DIR，"
        "或者传入 OVERWRITE=True 来替换它。",
}
