"""Chinese texts of lesson 04's exercises (``course/exercises/lesson04.py``): feature-map shapes,
the stem's parameters, Grad-CAM by hand, ‖F(x)‖/‖x‖ of one block, the block closest to the
identity, and deleting the two cheapest blocks together (a lesion study, predicted first)."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 04.1 shape of rh.feature_maps at stage 3
    "Shape of rh.feature_maps at stage3_block3_out, six images":
        "六张图像在 stage3_block3_out 处的 rh.feature_maps 形状",
    "rh.feature_maps returns one array per layer with the batch axis first: (images, height, "
    "width, channels). Stage 3 of ResNet-20 works at 8×8 with 64 channels.":
        "rh.feature_maps 为每一层返回一个数组，批量轴在最前：(图像数, 高, 宽, 通道数)。"
        "ResNet-20 的第 3 阶段在 8×8 的分辨率上工作，有 64 个通道。",
    "Right: {shape}.": "正确：{shape}。",
    "{answer} has {count} numbers; rh.feature_maps returns 4 axes: (images, height, width, "
    "channels).":
        "{answer} 有 {count} 个数；rh.feature_maps 返回的数组有 4 个轴：(图像数, 高, 宽, 通道数)。",
    "rh.feature_maps keeps the batch axis: one map per image, six images.":
        "rh.feature_maps 保留了批量轴：每张图像一份特征图，共六张图像。",
    "Keras keeps channels last: (images, height, width, channels).":
        "Keras 把通道放在最后：(图像数, 高, 宽, 通道数)。",
    "that is the stem's (and stage 1's) output; stage 3 is two halvings further.":
        "这是起始层（以及第 1 阶段）的输出；到第 3 阶段还要再减半两次。",
    "that is stage 2's output; stage 3 halves once more and has 64 channels.":
        "这是第 2 阶段的输出；第 3 阶段还要再减半一次，并且有 64 个通道。",
    "stage 3 has four times the first stage's 16 filters.":
        "第 3 阶段的滤波器个数是第 1 阶段（16 个）的四倍。",
    "{shape} is not it: {message}": "{shape} 不对：{message}",
    "check height, width and channels stage by stage.": "请逐个阶段检查高、宽和通道数。",
    # 04.2 parameters of the stem's convolution
    "Parameters of ResNet-20's first convolution (stem_conv)":
        "ResNet-20 第一个卷积层（stem_conv）的参数量",
    "A kernel is height × width × input channels × filters; the stem reads the image's 3 colour "
    "channels, and the paper's convolutions have no bias.":
        "卷积核的大小是 高 × 宽 × 输入通道数 × 滤波器个数；起始层读取图像的 3 个颜色通道，"
        "而且论文中的卷积层都不带偏置。",
    "the stem has no bias (use_bias=False): BatchNorm follows it.":
        "起始层不带偏置（use_bias=False）：它后面跟着批量规范化层。",
    "each filter reads all 3 colour channels: 3·3·3 weights per filter.":
        "每个滤波器都读取全部 3 个颜色通道：每个滤波器有 3·3·3 个权重。",
    "that is one filter; the stem has 16.": "这只是一个滤波器；起始层有 16 个。",
    "that adds the BatchNorm after it (stem_bn); the question asks for the convolution alone.":
        "这把它后面的批量规范化层（stem_bn）也算进去了；题目问的只是卷积层本身。",
    "the stem reads the 3 colour channels of the image, not 16 channels.":
        "起始层读取的是图像的 3 个颜色通道，而不是 16 个通道。",
    # 04.3 Grad-CAM by hand
    "Grad-CAM by hand with a GradientTape": "用 GradientTape 手工实现 Grad-CAM",
    "Build keras.Model(model.inputs, [layer output, model.get_layer('logits').output]); under a "
    "GradientTape take the predicted class's logit, its gradient with respect to the feature "
    "maps, average it over height and width (one weight per channel), sum weight × map over "
    "channels, ReLU, divide by the maximum.":
        "构建 keras.Model(model.inputs, [该层的输出, model.get_layer('logits').output])；"
        "在 GradientTape 中取预测类别的 logit，求它对特征图的梯度，在高和宽上取平均"
        "（每个通道一个权重），在通道上对“权重 × 特征图”求和，应用 ReLU，再除以最大值。",
    "Return the heatmap as an array; got {kind}.": "请以数组的形式返回热力图；得到的是 {kind}。",
    "Your map contains NaN or infinite values: did you divide by a maximum of 0? That happens "
    "when the weighted sum is negative everywhere, e.g. for a class other than the predicted one "
    "(the argmax of the logits).":
        "你的热力图含有 NaN 或无穷大的值：是不是除以了等于 0 的最大值？当加权和处处为负时就会"
        "这样，例如针对的不是预测类别（logits 的 argmax），而是别的类别。",
    "At {layer!r} ({h}×{w} maps) the heatmap should be ({h}, {w}) — or resized to the image, "
    "(16, 16); yours has shape {shape}. Sum over channels.":
        "在 {layer!r} 处（特征图为 {h}×{w}），热力图的形状应当是 ({h}, {w})——或者缩放到"
        "图像的尺寸，即 (16, 16)；你的热力图形状是 {shape}。请在通道上求和。",
    "Your Grad-CAM equals rh.grad_cam on a fresh random network at {layer!r}.":
        "在一个新的随机网络的 {layer!r} 处，你的 Grad-CAM 与 rh.grad_cam 的结果一致。",
    "Your map has negative values: Grad-CAM keeps only the evidence *for* the class, "
    "ReLU(Σ_k weight_k · A_k), before scaling.":
        "你的热力图中有负值：Grad-CAM 只保留*支持*该类别的证据，即在缩放之前先取 "
        "ReLU(Σ_k weight_k · A_k)。",
    "The map's maximum is {maximum:.3g}; divide by it so the map runs 0 to 1.":
        "热力图的最大值是 {maximum:.3g}；除以它，使热力图的取值范围为 0 到 1。",
    "you differentiated the softmax probability; Grad-CAM uses the class score before the "
    "softmax (the 'logits' layer), whose gradient does not shrink as the network grows "
    "confident.":
        "你对 softmax 之后的概率求了导；Grad-CAM 用的是 softmax 之前的类别得分（'logits' 层），"
        "它的梯度不会随着网络越来越确信而变小。",
    "you multiplied every position's gradient with its activation; Grad-CAM first averages the "
    "gradient over height and width, one weight per channel.":
        "你把每个位置的梯度与该位置的激活值相乘；Grad-CAM 先在高和宽上对梯度取平均，"
        "每个通道得到一个权重。",
    "Your map is close, but {message}": "你的热力图已经很接近了，但{message}",
    "Your map differs from rh.grad_cam's (largest difference {difference:.2f}). Explain the "
    "predicted class (argmax of the logits) and weight each channel by its mean gradient.":
        "你的热力图与 rh.grad_cam 的结果不同（最大差值为 {difference:.2f}）。请解释预测类别"
        "（logits 的 argmax），并用每个通道的平均梯度作为它的权重。",
    # 04.4 ‖F(x)‖/‖x‖ of one block
    "‖F(x)‖/‖x‖ of one residual block": "一个残差块的 ‖F(x)‖/‖x‖",
    "F(x) is the output of the branch's last layer (<block>_bn2), x the shortcut (for an "
    "identity block, the block's input). Read both with rh.feature_maps, take the norm per "
    "image over all values, divide, then average over the images.":
        "F(x) 是残差分支最后一层（<block>_bn2）的输出，x 是快捷连接（对于使用恒等快捷连接的块，"
        "就是这个块的输入）。用 rh.feature_maps 读出这两者，对每张图像在所有数值上取范数，"
        "相除，再对所有图像取平均。",
    "Return one number (a float); got {kind}.": "请返回一个数（float）；得到的是 {kind}。",
    "Right: {value:.3f} for {block}, as rh.residual_ratios finds.":
        "正确：{block} 的比值为 {value:.3f}，与 rh.residual_ratios 的结果一致。",
    "you divided ‖x‖ by ‖F(x)‖: the ratio is the branch's norm over the shortcut's.":
        "你用 ‖x‖ 除以了 ‖F(x)‖：这个比值是分支的范数除以快捷连接的范数。",
    "you took the block's output ({block}_out) for F(x); F(x) is the branch alone, before it is "
    "added: the output of {block}_bn2.":
        "你把这个块的输出（{block}_out）当成了 F(x)；F(x) 只是相加之前的分支本身："
        "即 {block}_bn2 的输出。",
    "you took the sum ({block}_add) for F(x); F(x) is the branch alone, before it is added: the "
    "output of {block}_bn2.":
        "你把相加得到的和（{block}_add）当成了 F(x)；F(x) 只是相加之前的分支本身："
        "即 {block}_bn2 的输出。",
    "you took the norm of the whole batch at once; take it per image, then average.":
        "你一次性对整个批量取了范数；应当对每张图像分别取范数，再取平均。",
    "you squared the norms (sum of squares); use the L2 norm, its square root.":
        "你对范数取了平方（平方和）；请使用 L2 范数，即它的平方根。",
    "{value:.3f} for {block}: {message}": "{block} 得到 {value:.3f}：{message}",
    "{value:.3f} for {block}, but ‖F(x)‖/‖x‖ is {right:.3f} on these images.":
        "{block} 得到 {value:.3f}，但在这些图像上 ‖F(x)‖/‖x‖ 是 {right:.3f}。",
    # 04.5 the block closest to the identity
    "Which block of the trained ResNet-20 stays closest to identity?":
        "训练好的 ResNet-20 中，哪个块最接近恒等映射？",
    "The last BatchNorm of each branch (<block>_bn2) scales F(x) by γ. Load "
    "rh.load_pretrained('resnet20') and compare the mean |γ| of every <block>_bn2.":
        "每个残差分支的最后一个批量规范化层（<block>_bn2）把 F(x) 乘以 γ。加载 "
        "rh.load_pretrained('resnet20')，比较每个 <block>_bn2 的平均 |γ|。",
    "Answer with a block name such as 'stage1_block1'; got {answer!r}.":
        "请用块的名称作答，例如 'stage1_block1'；得到的是 {answer!r}。",
    "{answer!r} is not a residual block of ResNet-20; they are {blocks}.":
        "{answer!r} 不是 ResNet-20 的残差块；ResNet-20 的残差块有：{blocks}。",
    "Right: {right} (mean |γ| {gamma:.2f}) scales its branch the least; the largest is {largest} "
    "({largest_gamma:.2f}).":
        "正确：{right}（平均 |γ| 为 {gamma:.2f}）给它的分支乘上的系数最小；最大的是 {largest}"
        "（{largest_gamma:.2f}）。",
    "{name} has the largest mean |γ| ({gamma:.2f}): it rewrites its input the most. Look for the "
    "smallest.":
        "{name} 的平均 |γ| 最大（{gamma:.2f}）：它对输入的改写最多。请找平均 |γ| 最小的那个。",
    "{name}'s mean |γ| is {gamma:.2f}; another block's is smaller. Did you take the absolute "
    "value (γ can be negative) and the mean over channels?":
        "{name} 的平均 |γ| 是 {gamma:.2f}；另有一个块的更小。你取绝对值了吗（γ 可以是负的）？"
        "在通道上取平均了吗？",
    # 04.6 deleting the two cheapest blocks together
    "The check repeats the lesion study on CIFAR-10's test images and could not load them "
    "({error}); set the environment variable CIFAR10_SOURCE to your copy of CIFAR-10.":
        "检查程序要在 CIFAR-10 的测试图像上重复删块实验，但无法加载这些图像（{error}）；"
        "请把环境变量 CIFAR10_SOURCE 设为你的 CIFAR-10 副本所在的位置。",
    "\"pair\" should be two block names in a tuple, (\"stageS_blockB\", \"stageS_blockB\"); got "
    "{pair}.":
        "\"pair\" 应当是放在一个元组中的两个块名称：(\"stageS_blockB\", \"stageS_blockB\")；"
        "得到的是 {pair}。",
    "'none' is the intact network in rh.lesion_study's result; the pair is two blocks, the two "
    "whose single deletion costs the least.":
        "'none' 是 rh.lesion_study 结果中的完整网络；\"pair\" 是两个块，即单独删去时代价最小的"
        "那两个。",
    "{name!r} is a layer; rh.delete_block deletes whole blocks, named like {owner!r}.":
        "{name!r} 是一个层；rh.delete_block 删去的是整个块，名称形如 {owner!r}。",
    "{name!r} is not a block of ResNet-20; the removable ones are {removable}.":
        "{name!r} 不是 ResNet-20 的块；可删去的块有：{removable}。",
    "{name} changes the shape of its input (stride 2 and more channels), so it cannot be "
    "deleted (rh.lesion_study leaves it out); choose among {removable}.":
        "{name} 会改变输入的形状（步幅为 2，且通道更多），所以不能删去（rh.lesion_study 也不包括"
        "它）；请从 {removable} 中选择。",
    "Both names are {name}; the pair is two different blocks.":
        "两个名称都是 {name}；\"pair\" 应当是两个不同的块。",
    "Predict, then measure: delete the two cheapest blocks together":
        "先预测，再测量：同时删去代价最小的两个块",
    "rh.lesion_study(trained, (x_test[:1000], y_test[:1000])) on rh.load_pretrained('resnet20') "
    "gives the accuracy with each block deleted alone; the two cheapest leave the highest "
    "accuracies after 'none'. Delete both inside one `with rh.restored_weights(trained):` block "
    "and measure the accuracy there, on the same 1,000 images.":
        "在 rh.load_pretrained('resnet20') 上运行 rh.lesion_study(trained, (x_test[:1000], "
        "y_test[:1000]))，可以得到单独删去每个块后的准确率；代价最小的两个块就是除 'none' 之外"
        "准确率最高的那两个。在同一个 `with rh.restored_weights(trained):` 块中把两者都删去，"
        "并在那里、在同样的 1,000 张图像上测量准确率。",
    "Answer with the dict of the exercise cell: {{\"prediction\": …, \"pair\": …, "
    "\"accuracy_both_deleted\": …}}; got {kind} {text}.":
        "请用练习单元格中的字典作答：{{\"prediction\": …, \"pair\": …, "
        "\"accuracy_both_deleted\": …}}；得到的是 {kind} {text}。",
    "Your dict has no {missing}; keep the three keys of the exercise cell.":
        "你的字典中没有 {missing}；请保留练习单元格中的三个键。",
    "Not attempted yet — write your prediction, then fill in what you measured, and run the cell "
    "again.":
        "尚未作答——先写下你的预测，再填入你测得的结果，然后再运行这个单元格。",
    "First write down your prediction, in words (e.g. \"about the sum of the two single "
    "costs\"), before you measure: it is what you compare the result with.":
        "在测量之前，先用文字写下你的预测（例如“约等于两个单独代价之和”）："
        "测量结果要拿来与它作比较。",
    "{a} and {b} are the two most costly blocks to delete ({cost_a} and {cost_b} points alone); "
    "take the two whose single deletion costs the least: the highest accuracies after 'none'.":
        "{a} 和 {b} 是删去时代价最大的两个块（单独删去时分别损失 {cost_a} 和 {cost_b} 个百分点）；"
        "应当选单独删去时代价最小的两个：即除 'none' 之外准确率最高的两个。",
    "{good} is one of the two, but deleting {bad} alone costs {cost} points on the first "
    "{images:,} test images; another removable block costs less.":
        "{good} 是其中之一，但在前 {images:,} 张测试图像上，单独删去 {bad} 会损失 {cost} 个"
        "百分点；另有一个可删去的块代价更小。",
    "Deleting {a} alone costs {cost_a} points and {b} {cost_b} on the first {images:,} test "
    "images; two other removable blocks cost less (the highest accuracies after 'none').":
        "在前 {images:,} 张测试图像上，单独删去 {a} 会损失 {cost_a} 个百分点，单独删去 {b} 会"
        "损失 {cost_b} 个百分点；另有两个可删去的块代价更小（即除 'none' 之外准确率最高的两个）。",
    "that is the accuracy with {deleted} deleted alone; delete {other} too, inside the same "
    "`with` block.":
        "这是单独删去 {deleted} 时的准确率；请在同一个 `with` 块中把 {other} 也删去。",
    "that is the intact accuracy ('none'); delete both blocks, then measure.":
        "这是完整网络的准确率（'none'）；请先把两个块都删去，再测量。",
    "that is the additive guess, the intact accuracy minus the sum of the two single drops; "
    "measure it.":
        "这是按代价相加得出的估计，即完整网络的准确率减去两次单独删去的下降量之和；"
        "请实际测量它。",
    "that is the drop; give the accuracy with both blocks deleted.":
        "这是准确率的下降量；请给出两个块都删去后的准确率。",
    "that is the drop, in points; give the accuracy with both blocks deleted, as a fraction.":
        "这是以百分点计的下降量；请以小数形式给出两个块都删去后的准确率。",
    "that is a percentage; give the accuracy as a fraction (0 to 1).":
        "这是一个百分数；请以小数形式（0 到 1）给出准确率。",
    "that is the sum of the two single drops; give the accuracy measured with both blocks "
    "deleted.":
        "这是两次单独删去的下降量之和；请给出两个块都删去后实测的准确率。",
    "{value:.3g} is not it: {message}": "{value:.3g} 不对：{message}",
    "{value:.3f} is not the accuracy with {a} and {b} deleted together on the first {images:,} "
    "test images. Delete both inside one `with rh.restored_weights(trained):` block and measure "
    "there, on the same images.":
        "在前 {images:,} 张测试图像上，同时删去 {a} 和 {b} 后的准确率不是 {value:.3f}。请在同一个 "
        "`with rh.restored_weights(trained):` 块中把两者都删去，并在那里、在同样的图像上测量。",
    "about the sum — the two deletions add up as if they were independent":
        "约等于两者之和——两次删去的代价直接相加，就像它们彼此独立一样",
    "less than the sum — once one block is gone, deleting the other costs less than it did "
    "alone":
        "小于两者之和——删去一个块之后，再删去另一个的代价比单独删去它时更小",
    "more than the sum — once one block is gone, deleting the other costs more than it did "
    "alone":
        "大于两者之和——删去一个块之后，再删去另一个的代价比单独删去它时更大",
    " ({blocks} cost the same within one image here, so either pair counts.)":
        "（在这里，{blocks} 的代价相差不到一张图像，所以两种组合都算对。）",
    "Right: with {a} and {b} deleted together the accuracy is {right:.1%} (intact "
    "{intact:.1%}). Alone they cost {cost_a} and {cost_b} points (sum {summed:.1f}), together "
    "{together:.1f}: {verdict}.{tie} Your prediction was: “{prediction}”.":
        "正确：同时删去 {a} 和 {b} 后，准确率为 {right:.1%}（完整网络为 {intact:.1%}）。单独删去时，"
        "它们分别损失 {cost_a} 和 {cost_b} 个百分点（和为 {summed:.1f}），同时删去则损失 "
        "{together:.1f} 个百分点：{verdict}。{tie}你的预测是：“{prediction}”。",
}
