"""Chinese texts that lessons 01–03 print (``rh.tr`` in the code cells of
``notebooks/01_residual_block.ipynb``, ``02_build_resnet.ipynb`` and ``03_train_cifar10.ipynb``):
their conclusions, checks and table headers, in the terms of the Chinese edition's prose."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 01 — the residual block
    "Keras {version}, backend {backend}; seed {seed}": "Keras {version}，后端 {backend}；随机种子 {seed}",
    "parameters by hand: {by_hand} | helper: {helper}": "手工搭建的参数量：{by_hand} | 辅助函数：{helper}",
    "Add() refuses: {error}": "Add() 拒绝相加：{error}",
    "block": "块",
    "identity (16→16)": "恒等（16→16）",
    "projection (16→32, stride 2)": "投影（16→32，步幅 2）",
    "padding (16→32, stride 2)": "填充（16→32，步幅 2）",
    "output shape": "输出形状",
    "branch F(x) params": "分支 F(x) 的参数量",
    "shortcut params": "快捷连接的参数量",
    "total": "总计",
    "conv1 {conv1:,} + conv2 {conv2:,} + two BNs {bns:,} = branch {branch:,}":
        "conv1 {conv1:,} + conv2 {conv2:,} + 两个批量规范化层 {bns:,} = 分支 {branch:,}",
    "projection shortcut: 1×1 conv + BN = {proj:,} (+{share:.1%} on top of the branch)":
        "投影快捷连接：1×1 卷积 + 批量规范化 = {proj:,}（在分支的基础上增加 {share:.1%}）",
    "max |output change| after shifting conv1's biases by 3: {change:.1e}":
        "把 conv1 的偏置都加上 3 之后，max |输出的变化| = {change:.1e}",
    "γ of the last BN: {gamma} …": "最后一个批量规范化层的 γ：{gamma} …",
    "parameters: residual {residual} | plain {plain}": "参数量：残差块 {residual} | 普通块 {plain}",
    "mean |residual − plain| = {diff:.3f}": "|残差块 − 普通块| 的均值 = {diff:.3f}",
    "checked: residual = ReLU(F(x) + x), plain = ReLU(F(x)), same weights":
        "已验证：残差块 = ReLU(F(x) + x)，普通块 = ReLU(F(x))，二者权重相同",
    "pre-activation block layers: {names}": "预激活块的各层：{names}",
    "basic, 64 channels": "基本块，64 个通道",
    "bottleneck, 256 channels (64 inside)": "瓶颈块，256 个通道（内部 64 个）",
    "basic, 256 channels": "基本块，256 个通道",
    "parameters": "参数量",
    "multiply-adds (M)": "乘加运算（百万次）",
    "× basic-64 cost": "× 64 通道基本块的代价",
    "pre-activation": "预激活",
    "original (ReLU after +)": "原始设计（+ 之后接 ReLU）",
    "{kind:>24}: Jacobian {shape}, max |J − (I + ∂F/∂x)| = {gap:.1e}":
        "{kind:>24}：雅可比矩阵 {shape}，max |J − (I + ∂F/∂x)| = {gap:.1e}",
    "none here: for this input every sum is positive": "这里没有：对这个输入，每个和都是正的",
    "{n} of {total} for this input": "对这个输入，{total} 个输出中有 {n} 个",
    "= diag(ReLU′)·(I + ∂F/∂x) exactly: the ReLU closes the shortcut for {closed:.0%} of the "
    "outputs (where F(x) + x ≤ 0) — {detail}":
        "= diag(ReLU′)·(I + ∂F/∂x)，精确成立：对 {closed:.0%} 的输出（即 F(x) + x ≤ 0 之处），"
        "ReLU 把快捷连接也关闭了——{detail}",
    # 02 — building a ResNet
    "depths to compare: {depths}; timed steps: {steps}; smoke mode: {smoke}":
        "要比较的深度：{depths}；计时的训练步数：{steps}；冒烟测试模式：{smoke}",
    "{name}: {params:,} parameters ({depth} weighted layers on the main path)":
        "{name}：{params:,} 个参数（主路径上有 {depth} 个带权重的层）",
    "{name}: {params:,} parameters, {depth} weighted layers":
        "{name}：{params:,} 个参数，{depth} 个带权重的层",
    "depth {depth}: built, {params:,} parameters": "深度 {depth}：已构建，{params:,} 个参数",
    "depth {depth}: ValueError: {error}": "深度 {depth}：ValueError: {error}",
    "depth": "深度",
    "blocks per stage": "每个阶段的块数",
    "params (padding)": "参数量（填充）",
    "params (projection)": "参数量（投影）",
    "paper": "论文",
    "multiply-adds / image (M)": "每张图像的乘加运算（百万次）",
    "vs paper": "相对论文",
    "All parameter counts are within 3% of the paper.": "所有参数量与论文的差距都在 3% 以内。",
    "multiply-adds per image: simple {simple:.0f}M, ResNet-20 {resnet20:.1f}M → the snippet "
    "costs {ratio:.1f}× as much per image":
        "每张图像的乘加运算次数：simple {simple:.0f}M，ResNet-20 {resnet20:.1f}M → "
        "原始代码片段中的网络处理每张图像的代价是 ResNet-20 的 {ratio:.1f} 倍",
    "simple (snippet)": "simple（原始代码片段）",
    "{name:>17}: {speed:6.0f} training images/s → {minutes:5.1f} min per epoch of 45,000 images "
    "(≈{gflops:.0f} GFLOP/s achieved)":
        "{name:>17}：每秒训练 {speed:6.0f} 张图像 → 每个迭代周期（45,000 张图像）{minutes:5.1f} 分钟"
        "（实际达到 ≈{gflops:.0f} GFLOP/s）",
    "{device}: ResNet-20 trains {speedup:.1f}× faster than the snippet's network; its "
    "multiply-adds predict {ratio:.1f}×.":
        "{device}：ResNet-20 的训练速度是原始代码片段中网络的 {speedup:.1f} 倍；"
        "按乘加运算次数预计为 {ratio:.1f} 倍。",
    "{name}: {params:,} parameters, {gmacs:.2f} × 10⁹ multiply-adds per 224×224 image "
    "(paper, Table 1: 3.8 × 10⁹)":
        "{name}：{params:,} 个参数，每张 224×224 图像 {gmacs:.2f} × 10⁹ 次乘加运算"
        "（论文表 1：3.8 × 10⁹）",
    "bottleneck blocks per stage {blocks}; {layers} weighted layers on the main path; the 7×7 "
    "stem is {stem:.1%} of the compute":
        "每个阶段的瓶颈块数 {blocks}；主路径上有 {layers} 个带权重的层；"
        "7×7 起始层占计算量的 {stem:.1%}",
    "the last stage and the classifier hold {share:.0%} of the parameters":
        "最后一个阶段和分类器占全部参数的 {share:.0%}",
    "ResNet-50 costs {macs:,.0f}× ResNet-20's multiply-adds and has {params:.0f}× its parameters":
        "ResNet-50 的乘加运算次数是 ResNet-20 的 {macs:,.0f} 倍，参数量是它的 {params:.0f} 倍",
    "output of": "输出来自",
    "shape": "形状",
    "All checks passed.": "全部检查通过。",
    # 03 — training on CIFAR-10
    "MODEL='simple' (the origin snippet) has a fixed layout: leave DEPTH and WIDTH at None.":
        "MODEL='simple'（原始代码片段中的网络）的结构是固定的：请让 DEPTH 和 WIDTH 保持为 None。",
    "MODEL='resnet9' has a fixed depth (9 weighted layers): leave DEPTH at None, or choose "
    "MODEL='resnet' for the 6n+2 family.":
        "MODEL='resnet9' 的深度是固定的（9 个带权重的层）：请让 DEPTH 保持为 None，"
        "或者选择 MODEL='resnet'，使用深度为 6n+2 的系列。",
    "value": "值",
    "source": "来源",
    "passed": "传入",
    "default": "默认",
    "run folder: {folder}": "运行文件夹：{folder}",
    "loaded in {seconds:.1f} s from {source}": "从 {source} 加载，用时 {seconds:.1f} 秒",
    "training images {shape} {dtype} | labels {labels} | test images {test}":
        "训练图像 {shape} {dtype} | 标签 {labels} | 测试图像 {test}",
    "images per class (training): {counts}": "每个类别的图像数（训练集）：{counts}",
    "training on {train:,} images, validating on {val:,}, testing on {test:,}":
        "训练用 {train:,} 张图像，验证用 {val:,} 张，测试用 {test:,} 张",
    "{batches} batches of {size} per epoch (the last one smaller)":
        "每个迭代周期 {batches} 个批量，每个批量 {size} 张图像（最后一个较小）",
    "one batch: images {images} {dtype}, labels {labels} (one-hot)":
        "一个批量：图像 {images} {dtype}，标签 {labels}（独热编码）",
    "probe: {seconds:.0f} s on {device}": "探测：在 {device} 上用时 {seconds:.0f} 秒",
    "the 2×2 patches of your training images: overall brightness carries {first:.0%} of their variance, "
    "the {n} strongest directions together {kept:.2%}; the {filters} whitening filters give each of "
    "those {n} the same variance":
        "你的训练图像中的 2×2 图像块：整体亮度占其方差的 {first:.0%}，最强的 {n} 个方向合计占 {kept:.2%}；"
        "{filters} 个白化滤波器让这 {n} 个方向的方差都相同",
    "chosen: ResNet-9 of width {width}, {epochs} epochs at {sizes} px, {precision}: {reason}":
        "选定：宽度为 {width} 的 ResNet-9，训练 {epochs} 个迭代周期，图像尺寸 {sizes} px，{precision}：{reason}",
    "measured once on the course's machine (seed 0, benchmarks/README.md), this candidate "
    "reached {accuracy:.1%} test accuracy; other seeds and machines land up to about a point "
    "away (section 4 prints this run's)":
        "在课程的机器上测量过一次（随机种子 0，见 benchmarks/README.md），这个候选方案达到了 "
        "{accuracy:.1%} 的测试准确率；换用其他随机种子或机器，结果最多相差约一个百分点"
        "（第 4 节会打印本次运行的结果）",
    "EPOCHS = {epochs} but IMAGE_SIZES has {sizes} entries: give one size per epoch, or leave "
    "EPOCHS at None.":
        "EPOCHS = {epochs}，但 IMAGE_SIZES 有 {sizes} 项：请为每个迭代周期给出一个尺寸，"
        "或者让 EPOCHS 保持为 None。",
    "smoke mode: the plan is shown, not used; ": "冒烟测试模式：训练计划只显示，不采用；",
    "your settings: ": "你的设置：",
    "{model}, width {width}, {epochs} epoch(s) at {sizes} px, {precision}":
        "{model}，宽度 {width}，训练 {epochs} 个迭代周期，图像尺寸 {sizes} px，{precision}",
    "{name}: {params:,} parameters, {macs:.1f}M multiply-adds per image, {precision}; "
    "{replicas} replica(s) on {device}":
        "{name}：{params:,} 个参数，每张图像 {macs:.1f}M 次乘加运算，{precision}；"
        "在 {device} 上有 {replicas} 个副本",
    "network": "网络",
    "stage outputs": "各阶段的输出",
    "learning rate at step {steps}": "训练步与学习率：{steps}",
    "{seconds:.0f} s": "{seconds:.0f} 秒",
    "{minutes:.1f} min": "{minutes:.1f} 分钟",
    "predicted training time: {time} for {epochs} epochs (the probe above, validation included) "
    "on {device}":
        "预计训练时间：在 {device} 上训练 {epochs} 个迭代周期需要 {time}（依据上面的探测，含验证）",
    "estimated training time: {time} for {epochs} epoch(s) ({per_epoch} per epoch of {steps} "
    "steps at 32×32, {per_step:.2f} s per step; validation {validation}, set-up {setup}) on "
    "{device}":
        "估计训练时间：在 {device} 上训练 {epochs} 个迭代周期需要 {time}（按 32×32 计算，每个迭代周期 {steps} 步"
        "用时 {per_epoch}，每步 {per_step:.2f} 秒；验证 {validation}，一次性准备 {setup}）",
    "{epochs} epochs in {minutes:.1f} min on {device}; training images/s (median per image "
    "size): {speeds}":
        "在 {device} 上用 {minutes:.1f} 分钟训练了 {epochs} 个迭代周期；每秒训练的图像数"
        "（各图像尺寸的中位数）：{speeds}",
    "the plan predicted {predicted:.1f} min; the training took {took:.1f} min, {off:.0%} more":
        "训练计划预计 {predicted:.1f} 分钟；实际训练用了 {took:.1f} 分钟，多出 {off:.0%}",
    "the plan predicted {predicted:.1f} min; the training took {took:.1f} min, {off:.0%} less":
        "训练计划预计 {predicted:.1f} 分钟；实际训练用了 {took:.1f} 分钟，少了 {off:.0%}",
    "{name} on CIFAR-10": "CIFAR-10 上的 {name}",
    "label smoothing {smoothing} over {k} classes: the loss cannot go below {floor:.3f}":
        "在 {k} 个类别上使用 {smoothing} 的标签平滑：损失不可能低于 {floor:.3f}",
    "last epoch: training loss {loss:.3f} at {accuracy:.1%} training accuracy, {above:.3f} above "
    "the floor":
        "最后一个迭代周期：训练损失为 {loss:.3f}，训练准确率为 {accuracy:.1%}，比下限高 {above:.3f}",
    "{points:.1f} points apart — far from overfitting":
        "相差 {points:.1f} 个百分点——离过拟合还很远",
    "{points:.1f} points apart — the network starts to fit its training images better than new "
    "ones":
        "相差 {points:.1f} 个百分点——网络开始对训练图像拟合得比对新图像更好",
    "training accuracy {train:.1%} (augmented images, during the last epoch) against validation "
    "accuracy {val:.1%} after it: {verdict}":
        "训练准确率 {train:.1%}（在经过增广的图像上、于最后一个迭代周期中测得）对比此后的验证准确率 "
        "{val:.1%}：{verdict}",
    "test accuracy: {accuracy:.2%} on {images:,} test images; {flip:.2%} with flip test-time "
    "augmentation":
        "测试准确率：在 {images:,} 张测试图像上为 {accuracy:.2%}；使用翻转测试时增广时为 {flip:.2%}",
    "hardest class: {worst}; most frequent confusion: {true} taken for {predicted} ({times} times)":
        "最难的类别：{worst}；最常见的混淆：把 {true} 当成 {predicted}（{times} 次）",
    "validation accuracy of the whole network: {accuracy:.1%}":
        "完整网络的验证准确率：{accuracy:.1%}",
    "  without {block}: {accuracy:.1%} ({points:+.1f} points); its ‖F(x)‖/‖x‖ = {ratio:.2f}":
        "  删去 {block}：{accuracy:.1%}（{points:+.1f} 个百分点）；它的 ‖F(x)‖/‖x‖ = {ratio:.2f}",
    "every block does a large share of the work: deleting any one costs more than 5 points":
        "每个块都承担了很大一部分工作：删去其中任何一个，准确率都会下降超过 5 个百分点",
    "{blocks} do(es) a large share of the work (more than 5 points); the others can go at a "
    "small cost":
        "{blocks} 承担了很大一部分工作（超过 5 个百分点）；删去其余的块代价很小",
    "no single block is indispensable: each deletion costs at most 5 points":
        "没有哪个块是不可或缺的：删去任何一个，准确率最多下降 5 个百分点",
    "{name} has no residual block that keeps its input's shape: nothing to delete (lesson 05 "
    "runs this test on plain and residual networks side by side)":
        "{name} 没有保持输入形状不变的残差块：没有可删去的块（第 05 课会把普通网络和残差网络"
        "放在一起做这项测试）",
    "saved to {folder}: {files}": "已保存到 {folder}：{files}",
}
