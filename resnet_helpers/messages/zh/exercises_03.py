"""Chinese texts of lesson 03's exercises (``course/exercises/lesson03.py``): the loss at
initialisation, the learning-rate schedule, augmentation, label smoothing, the confusion matrix,
compiling the recipe, the tf.data training pipeline."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 03.1 the loss at initialisation
    "The loss at initialisation, ten classes": "初始化时的损失（10 个类别）",
    "An untrained network spreads its probability about evenly over the ten classes. The "
    "cross-entropy is −Σ target × ln(probability) over the classes; with label smoothing the "
    "targets still add up to 1.":
        "未经训练的网络把概率大致均匀地分给 10 个类别。"
        "交叉熵是对所有类别求和的 −Σ target × ln(probability)；使用标签平滑时，目标之和仍然是 1。",
    "that is the number of classes; the loss is −ln(1/10).": "这是类别的个数；损失是 −ln(1/10)。",
    "that is the probability of the true class; the loss is minus its logarithm.":
        "这是真实类别的概率；损失是它的对数取负。",
    "a cross-entropy is never negative: −ln(0.1) = +2.30.":
        "交叉熵永远不会是负的：−ln(0.1) = +2.30。",
    "Keras's cross-entropy uses the natural logarithm: ln(10), not log₁₀(10).":
        "Keras 的交叉熵使用自然对数：是 ln(10)，而不是 log₁₀(10)。",
    "Keras's cross-entropy uses the natural logarithm: ln(10), not log₂(10).":
        "Keras 的交叉熵使用自然对数：是 ln(10)，而不是 log₂(10)。",
    "zero is the loss of a perfect, fully confident network, not of an untrained one.":
        "0 是一个完美且完全有把握的网络的损失，而不是未经训练的网络的损失。",
    "label smoothing moves 0.09 of the target to the other nine classes, but they get "
    "probability 0.1 too: the targets add up to 1, so the loss is −(0.91 + 9 × 0.01) · ln(0.1).":
        "标签平滑把目标中的 0.09 移给了其余 9 个类别，但这些类别得到的概率同样是 0.1："
        "目标之和为 1，所以损失是 −(0.91 + 9 × 0.01) · ln(0.1)。",
    "the smoothed targets add up to 1 (0.91 on the true class, 0.01 on each other), and every "
    "class gets probability 0.1: the loss is 1 · (−ln 0.1).":
        "平滑后的目标之和为 1（真实类别上为 0.91，其余每个类别上为 0.01），"
        "而每个类别得到的概率都是 0.1：损失是 1 · (−ln 0.1)。",
    "that is the floor of the smoothed loss, reached by a network that predicts the target "
    "exactly; an untrained one is far above it.":
        "这是平滑后损失的下限，只有精确预测出目标的网络才能达到；未经训练的网络的损失远高于它。",
    # 03.2 the learning rate at the start of epoch 4
    "The learning rate at the start of epoch 4": "第 4 个迭代周期开始时的学习率",
    "Epoch 1 is the warm-up (352 steps). The cosine then runs over the remaining 5 × 352 = 1,760 "
    "steps: after t of them the rate is 0.2 · ½(1 + cos(π · t / 1760)).":
        "第 1 个迭代周期是预热（352 步）。随后余弦衰减贯穿剩下的 5 × 352 = 1,760 步：经过其中 t 步之后，"
        "学习率为 0.2 · ½(1 + cos(π · t / 1760))。",
    "that is the peak, reached at the end of the warm-up epoch (step 352); at the start of epoch "
    "4 the cosine has already run two of its five epochs. (A calculator in degree mode gives "
    "about 0.2 too: cos(0.4π) means radians.)":
        "这是峰值，在预热的那个迭代周期结束时（第 352 步）达到；到第 4 个迭代周期开始时，"
        "余弦衰减已经走完了它 5 个迭代周期中的 2 个。（计算器处于角度模式时也会得到约 0.2："
        "cos(0.4π) 指的是弧度。）",
    "that is where the warm-up starts (LEARNING_RATE / 10, step 0).":
        "这是预热的起点（LEARNING_RATE / 10，第 0 步）。",
    "that is a linear decay; the schedule follows half a cosine: 0.2 · ½(1 + cos(π · 704/1760)).":
        "这是线性衰减；而这个调度沿半个余弦周期下降：0.2 · ½(1 + cos(π · 704/1760))。",
    "that is half-way down a cosine over all 6 epochs; but the first epoch is the warm-up, and "
    "the cosine runs over the remaining 5 (1,760 steps) from step 352.":
        "这是贯穿全部 6 个迭代周期的余弦衰减走到一半时的值；但第 1 个迭代周期是预热，余弦衰减从第 352 步开始，"
        "贯穿剩下的 5 个迭代周期（1,760 步）。",
    "the cosine starts after the warm-up epoch: at step 1,056 it has run 1,056 − 352 = 704 of "
    "its 1,760 steps, not 1,056.":
        "余弦衰减在预热的那个迭代周期之后才开始：到第 1,056 步时，"
        "它走完的是其 1,760 步中的 1,056 − 352 = 704 步，而不是 1,056 步。",
    "that is the start of epoch 3; at the start of epoch 4 three epochs are done: the warm-up "
    "and two of the cosine (704 of its 1,760 steps).":
        "这是第 3 个迭代周期开始时的值；到第 4 个迭代周期开始时已经完成了 3 个迭代周期："
        "预热的 1 个和余弦衰减的 2 个（其 1,760 步中的 704 步）。",
    "Keras's decay_steps counts the steps after the warm-up: the cosine lasts (6 − 1) × 352 = "
    "1,760 steps, not 6 × 352.":
        "Keras 的 decay_steps 计的是预热之后的步数：余弦衰减持续 (6 − 1) × 352 = 1,760 步，"
        "而不是 6 × 352 步。",
    "the cosine's argument is π × the fraction done, in radians: cos(0.4π), not cos(0.4).":
        "余弦的自变量是 π × 已完成的比例，单位是弧度：cos(0.4π)，而不是 cos(0.4)。",
    "72 is the angle in degrees (0.4 × 180°); math.cos and np.cos take radians: cos(0.4π).":
        "72 是以度为单位的角度（0.4 × 180°）；math.cos 和 np.cos 接受的是弧度：cos(0.4π)。",
    "the cosine factor is ½(1 + cos …), from 1 down to 0; without the ½ the rate would start at "
    "twice the peak.":
        "余弦因子是 ½(1 + cos …)，从 1 降到 0；没有这个 ½，学习率一开始就会是峰值的两倍。",
    "cosine decay multiplies the peak by ½(1 + cos(π · fraction)), from 1 down to 0; cos alone "
    "would go negative in the second half.":
        "余弦衰减把峰值乘以 ½(1 + cos(π · fraction))，这个因子从 1 降到 0；只用 cos 的话，"
        "后半程会变成负数。",
    # 03.3 an augmentation function: pad, random crop, random flip
    "An augmentation function: pad, random crop, random flip":
        "一个图像增广函数：填充、随机裁剪、随机翻转",
    "Pad each image with 4 zero pixels on every side (tf.pad), cut a window of the original size "
    "at a random offset chosen per image, and mirror about half of them "
    "(tf.image.random_flip_left_right works image by image).":
        "在每张图像四周各填充 4 个零像素（tf.pad），"
        "以为每张图像单独选取的随机偏移裁出一个原始尺寸的窗口，"
        "并把其中约一半做镜像翻转（tf.image.random_flip_left_right 逐张图像处理）。",
    "my_augment should return a batch of images (a tensor or array); it returned {kind}.":
        "my_augment 应当返回一个图像批量（张量或数组），但它返回的是 {kind}。",
    "For a batch of shape {shape} the result must have the same shape; yours is {got} — crop "
    "back to the original size after padding.":
        "对于形状为 {shape} 的批量，结果必须具有相同的形状；"
        "你的结果是 {got}——填充之后要裁回原始尺寸。",
    "For a batch of shape {shape} the result must have the same shape; yours is {got}.":
        "对于形状为 {shape} 的批量，结果必须具有相同的形状；你的结果是 {got}。",
    "The images come back unchanged: nothing was padded, cropped or flipped.":
        "图像原样返回：没有做任何填充、裁剪或翻转。",
    "Image {i} of the batch is not a {size}×{size} window of the image padded with 4 zeros on "
    "each side (you padded by reflection; the paper pads with zeros).":
        "批量中的图像 {i} 不是四周各填充 4 个零之后的图像中的一个 {size}×{size} 窗口（你用的是反射"
        "填充；论文用的是零填充）。",
    "Image {i} of the batch is not a {size}×{size} window of the image padded with 4 zeros on "
    "each side, mirrored or not. Crop, don't resize.":
        "批量中的图像 {i} 不是四周各填充 4 个零之后的图像中的一个 {size}×{size} 窗口（无论是否镜像"
        "翻转）。请裁剪，不要缩放。",
    "Every image got the same crop offset: draw an offset per image, not one for the whole batch.":
        "每张图像的裁剪偏移都相同：要为每张图像单独抽取偏移，而不是整个批量共用一个。",
    "No image was shifted: pad by 4 and cut the window at a random offset.":
        "没有任何图像被平移：填充 4 个像素，再以随机偏移裁出窗口。",
    "Your crops move the image by at most {shift} pixels; padding by 4 allows shifts of up to 4 "
    "in each direction (pad with 4, not less).":
        "你的裁剪最多只把图像平移 {shift} 个像素；填充 4 个像素时，"
        "每个方向最多可以平移 4 个像素（填充 4 个，不要更少）。",
    "No image was mirrored: flip about half of them left–right.":
        "没有任何图像被镜像翻转：请把其中约一半左右翻转。",
    "Every image was mirrored: flip each one with probability 1/2.":
        "每张图像都被镜像翻转了：每张图像应当以 1/2 的概率翻转。",
    "{flipped:.0%} of the images were mirrored; each should be with probability 1/2.":
        "有 {flipped:.0%} 的图像被镜像翻转；每张图像被翻转的概率应当是 1/2。",
    "Every image is a zero-padded random crop; {flipped:.0%} of {n} were mirrored and {offsets} "
    "different offsets were used.":
        "每张图像都是零填充后的随机裁剪；{n} 张中有 {flipped:.0%} 被镜像翻转，"
        "共用到了 {offsets} 种不同的偏移。",
    # 03.4 the target of the true class with label smoothing
    "The target of the true class with label smoothing 0.1": "标签平滑为 0.1 时真实类别的目标值",
    "With smoothing s the target is (1 − s) on the true class plus s / classes on every class, "
    "the true one included.":
        "平滑系数为 s 时，目标是真实类别上的 (1 − s)，再加上每个类别（包括真实类别）"
        "上的 s / 类别数。",
    "the 0.1 taken away is spread over all ten classes, the true one too: it gets 0.9 + 0.1/10.":
        "被拿走的 0.1 会均摊到全部 10 个类别上，真实类别也有份：它得到 0.9 + 0.1/10。",
    "that is the target of each wrong class; the true one gets 0.9 + 0.01.":
        "这是每个错误类别的目标值；真实类别得到的是 0.9 + 0.01。",
    "smoothing takes 0.1 away from the true class first: 1 − 0.1 + 0.1/10.":
        "平滑会先从真实类别拿走 0.1：1 − 0.1 + 0.1/10。",
    "that is the target without label smoothing.": "这是不用标签平滑时的目标值。",
    "that is the smoothing factor s itself.": "这是平滑系数 s 本身。",
    # 03.5 which class is taken for which most often
    "Which class is taken for which most often?": "哪个类别最常被误认为哪个类别？",
    "Rows of the confusion matrix are true classes, columns predicted ones; the diagonal holds "
    "the correct predictions, so set it aside before looking for the largest entry.":
        "混淆矩阵的行是真实类别，列是预测类别；对角线上是正确的预测，所以在寻找最大的元素之前，"
        "先把对角线排除在外。",
    "Return a pair (true class name, predicted class name); got {result}.":
        "请返回一个二元组（真实类别的名称，预测类别的名称）；你返回的是 {result}。",
    "You returned indices {result}; return the class names, e.g. rh.CLASS_NAMES[i].":
        "你返回的是索引 {result}；请返回类别名称，例如 rh.CLASS_NAMES[i]。",
    "You swapped them: in {pair} the first is the predicted class. Rows (the first index) are "
    "the true classes.":
        "你把两者弄反了：在 {pair} 中，第一个是预测类别。行（第一个索引）才是真实类别。",
    "{result}: a class taken for itself is a correct prediction; leave out the diagonal "
    "(np.fill_diagonal on a copy).":
        "{result}：一个类别被认作它自己，这是正确的预测；"
        "请排除对角线（在副本上使用 np.fill_diagonal）。",
    "For a matrix whose largest off-diagonal entry is {pair} you returned {result}.":
        "对于对角线以外最大元素位于 {pair} 的矩阵，你返回的是 {result}。",
    "Right on three random confusion matrices. Now run it on your report['confusion'].":
        "在三个随机混淆矩阵上都正确。现在把它应用到你的 report['confusion'] 上。",
    # 03.6 compiling the recipe: the learning-rate schedule (_check_schedule)
    "Could not read your optimizer's learning rate ({error}).":
        "无法读取你的优化器的学习率（{error}）。",
    "step {step:,}: {rate:.4g}": "第 {step:,} 步：{rate:.4g}",
    "Your learning rate is constant ({rate:.4g} at every step); the recipe warms up from 0.02 to "
    "0.2 over the first epoch, then decays along a cosine to 0 "
    "(keras.optimizers.schedules.CosineDecay).":
        "你的学习率恒定不变（每一步都是 {rate:.4g}）；训练方案在第 1 个迭代周期中从 0.02 预热到 0.2，"
        "然后沿余弦曲线衰减到 0（keras.optimizers.schedules.CosineDecay）。",
    "Your schedule starts at the peak ({at}): there is no warm-up. Start at 0.2 / 10 and rise to "
    "0.2 over the first epoch (initial_learning_rate, warmup_target, warmup_steps).":
        "你的调度从峰值开始（{at}）：没有预热。应当从 0.2 / 10 开始，"
        "在第 1 个迭代周期中升到 0.2（initial_learning_rate、warmup_target、warmup_steps）。",
    "Your cosine is still above 0 at the end of training ({at}): Keras's decay_steps counts the "
    "steps after the warm-up, (epochs − 1) × steps_per_epoch, not epochs × steps_per_epoch.":
        "训练结束时你的余弦衰减仍高于 0（{at}）：Keras 的 decay_steps 计的是预热之后的步数，"
        "即 (epochs − 1) × steps_per_epoch，而不是 epochs × steps_per_epoch。",
    "Your cosine reaches 0 one epoch after the warm-up ({at}, half-way through training): "
    "decay_steps should cover all the remaining epochs, (epochs − 1) × steps_per_epoch.":
        "你的余弦衰减在预热结束后仅一个迭代周期就降到了 0（{at}，训练才进行到一半）："
        "decay_steps 应当覆盖剩下的所有迭代周期，即 (epochs − 1) × steps_per_epoch。",
    "Your cosine reaches 0 a few steps after the warm-up: decay_steps counts optimizer steps "
    "(batches), not epochs: (epochs − 1) × steps_per_epoch.":
        "你的余弦衰减在预热结束几步后就降到了 0：decay_steps 计的是优化器的步数（批量数），"
        "而不是迭代周期数：(epochs − 1) × steps_per_epoch。",
    "Your warm-up ends after one step: warmup_steps counts optimizer steps (batches), so one "
    "epoch is steps_per_epoch steps.":
        "你的预热在一步之后就结束了：warmup_steps 计的是优化器的步数（批量数），"
        "所以一个迭代周期是 steps_per_epoch 步。",
    "Your schedule is the lesson's for 352 steps per epoch or 6 epochs; use the function's "
    "arguments (steps_per_epoch = {steps}, epochs = {epochs} in this check).":
        "你的调度是本课针对每个迭代周期 352 步或共 6 个迭代周期的调度；"
        "请使用函数的参数（在这次检查中 steps_per_epoch = {steps}，epochs = {epochs}）。",
    "Your learning rate peaks at {rate:.4g}; the lesson's peak (LEARNING_RATE) is 0.2.":
        "你的学习率峰值为 {rate:.4g}；本课的峰值（LEARNING_RATE）是 0.2。",
    "Your warm-up starts at {rate:.4g}; it should start at 0.2 / 10 = 0.02 "
    "(initial_learning_rate) and reach 0.2 (warmup_target) after one epoch.":
        "你的预热从 {rate:.4g} 开始；它应当从 0.2 / 10 = 0.02（initial_learning_rate）开始，"
        "并在一个迭代周期之后达到 0.2（warmup_target）。",
    "At the end of the first epoch ({at}) your rate should have reached its peak 0.2: "
    "warmup_steps = steps_per_epoch.":
        "在第 1 个迭代周期结束时（{at}），你的学习率应当已经达到峰值 0.2：warmup_steps = steps_per_epoch。",
    "Your rate does not reach 0 at the end of training ({at}): decay_steps = (epochs − 1) × "
    "steps_per_epoch, alpha = 0.":
        "训练结束时你的学习率没有降到 0（{at}）：decay_steps = (epochs − 1) × steps_per_epoch，"
        "alpha = 0。",
    "Your learning rate differs from the lesson's schedule (steps_per_epoch = {steps}, epochs = "
    "{epochs}) at step {step:,}: {rate:.4g} instead of {want:.4g}.":
        "你的学习率在第 {step:,} 步与本课的调度（steps_per_epoch = {steps}，epochs = {epochs}）"
        "不一致：是 {rate:.4g}，而不是 {want:.4g}。",
    # 03.6: the loss (_check_loss)
    "Your model was compiled without a loss: pass "
    "loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1).":
        "你的模型编译时没有指定损失："
        "请传入 loss=keras.losses.CategoricalCrossentropy(label_smoothing=0.1)。",
    "rh.SmoothedSparseCrossentropy takes integer labels; the lesson's pipeline yields one-hot "
    "labels, so use keras.losses.CategoricalCrossentropy(label_smoothing=0.1).":
        "rh.SmoothedSparseCrossentropy 接受整数标签；本课的管道输出的是独热标签，"
        "所以请使用 keras.losses.CategoricalCrossentropy(label_smoothing=0.1)。",
    "SparseCategoricalCrossentropy takes integer labels and, in Keras 3, has no label smoothing; "
    "the lesson one-hot encodes its labels and uses "
    "keras.losses.CategoricalCrossentropy(label_smoothing=0.1).":
        "SparseCategoricalCrossentropy 接受整数标签，并且在 Keras 3 中不支持标签平滑；"
        "本课把标签转为独热编码，并使用 keras.losses.CategoricalCrossentropy(label_smoothing=0.1)。",
    "Your loss {loss} is not one Keras knows ({error}).":
        "你的损失 {loss} 不是 Keras 认识的损失（{error}）。",
    "Your loss has from_logits=True, but the course's models end in a softmax: they output "
    "probabilities (leave from_logits at False).":
        "你的损失设置了 from_logits=True，但课程中的模型都以 softmax 结尾："
        "它们输出的是概率（让 from_logits 保持为 False）。",
    "Your loss is the cross-entropy without label smoothing; the recipe uses "
    "keras.losses.CategoricalCrossentropy(label_smoothing=0.1).":
        "你的损失是不带标签平滑的交叉熵；"
        "训练方案使用的是 keras.losses.CategoricalCrossentropy(label_smoothing=0.1)。",
    "Your loss has label_smoothing={smoothing}; the recipe's is 0.1.":
        "你的损失设置了 label_smoothing={smoothing}；训练方案用的是 0.1。",
    "Your loss ({name}) gives {got:.4g} on a test batch where "
    "CategoricalCrossentropy(label_smoothing=0.1) gives {want:.4g}.":
        "在一个测试批量上，你的损失（{name}）给出 {got:.4g}，"
        "而 CategoricalCrossentropy(label_smoothing=0.1) 给出 {want:.4g}。",
    # 03.6: the optimizer, weight decay and one training step
    "Compile the recipe: SGD, warm-up and cosine, weight decay, smoothing":
        "编译训练方案：SGD、预热加余弦衰减、权重衰减、标签平滑",
    "Follow the lesson's compile cell: a CosineDecay from 0.2/10 with warmup_target=0.2, "
    "warmup_steps=steps_per_epoch and decay_steps=(epochs − 1) × steps_per_epoch; SGD(schedule, "
    "momentum=0.9, nesterov=True, weight_decay=5e-3) with "
    "exclude_from_weight_decay(var_names=['gamma', 'beta', 'bias']); "
    "CategoricalCrossentropy(label_smoothing=0.1); metrics=['accuracy'].":
        "照着本课编译模型的单元格来做：一个从 0.2/10 开始、warmup_target=0.2、"
        "warmup_steps=steps_per_epoch、decay_steps=(epochs − 1) × steps_per_epoch 的 CosineDecay；"
        "SGD(schedule, momentum=0.9, nesterov=True, weight_decay=5e-3)，"
        "并调用 exclude_from_weight_decay(var_names=['gamma', 'beta', 'bias'])；"
        "CategoricalCrossentropy(label_smoothing=0.1)；metrics=['accuracy']。",
    "The model you were given is not compiled: you returned another model; compile the one "
    "passed in.":
        "传给你的模型没有被编译：你返回了另一个模型；请编译传入的那个模型。",
    "The model you were given is not compiled: call model.compile(optimizer=…, loss=…, "
    "metrics=['accuracy']) on it.":
        "传给你的模型没有被编译："
        "请对它调用 model.compile(optimizer=…, loss=…, metrics=['accuracy'])。",
    "Your optimizer is {kind}, the origin snippet's choice; the recipe uses keras.optimizers.SGD "
    "with Nesterov momentum 0.9 (better final accuracy for CNNs).":
        "你的优化器是 {kind}，即原始代码片段的选择；"
        "训练方案使用带 Nesterov 动量 0.9 的 keras.optimizers.SGD（对卷积神经网络而言最终准确率更高"
        "）。",
    "Your optimizer is {kind}; the recipe uses keras.optimizers.SGD with Nesterov momentum 0.9.":
        "你的优化器是 {kind}；训练方案使用带 Nesterov 动量 0.9 的 keras.optimizers.SGD。",
    "Your SGD has no momentum (plain SGD); the recipe uses momentum=0.9.":
        "你的 SGD 没有动量（普通 SGD）；训练方案使用 momentum=0.9。",
    "Your SGD's momentum is {momentum}; the recipe uses 0.9.":
        "你的 SGD 的动量是 {momentum}；训练方案用的是 0.9。",
    "Your SGD uses plain momentum; the recipe uses Nesterov momentum (nesterov=True).":
        "你的 SGD 使用的是普通动量；训练方案使用 Nesterov 动量（nesterov=True）。",
    "Your optimizer has no weight decay; the recipe uses the optimizer's decoupled "
    "weight_decay=5e-3.":
        "你的优化器没有权重衰减；训练方案使用优化器自带的解耦权重衰减 weight_decay=5e-3。",
    "weight_decay=5e-4 is PyTorch's coupled L2 value; Keras's decoupled weight_decay is "
    "multiplied by the learning rate, and the recipe uses 5e-3 (the same effective decay).":
        "weight_decay=5e-4 是 PyTorch 中耦合的 L2 正则化取值；"
        "Keras 的解耦 weight_decay 会乘以学习率，训练方案用的是 5e-3（有效衰减相同）。",
    "Your weight_decay is {decay}; the recipe uses 5e-3.":
        "你的 weight_decay 是 {decay}；训练方案用的是 5e-3。",
    "Training your compiled model on a batch of one-hot labels failed: {error}":
        "用一个带独热标签的批量训练你编译好的模型时出错：{error}",
    "Your model reports {metrics} while training; the lesson also tracks metrics=['accuracy'].":
        "你的模型在训练时报告的是 {metrics}；本课还会跟踪 metrics=['accuracy']。",
    "Weight decay shrank BatchNorm's γ and β: exclude them, as the lesson does: "
    "optimizer.exclude_from_weight_decay(var_names=['gamma', 'beta', 'bias']).":
        "权重衰减缩小了批量规范化的 γ 和 β：请像本课那样把它们排除在外："
        "optimizer.exclude_from_weight_decay(var_names=['gamma', 'beta', 'bias'])。",
    "Weight decay shrank the Dense layer's bias: exclude 'bias' as well (var_names=['gamma', "
    "'beta', 'bias']).":
        "权重衰减缩小了 Dense 层的偏置：把 'bias' 也排除在外（var_names=['gamma', 'beta', 'bias']）"
        "。",
    "Weight decay should shrink the convolution and Dense kernels by weight_decay × learning "
    "rate = {shrink:.0e} per step; yours changed them by {change:.2g}. Exclude only gamma, beta "
    "and bias.":
        "权重衰减应当让卷积层和 Dense 层的权重（kernel）"
        "每步缩小 weight_decay × 学习率 = {shrink:.0e}；你的设置让它们变化了 {change:.2g}。"
        "只排除 gamma、beta 和 bias。",
    "Compiled like the lesson for {steps} steps × {epochs} epochs: SGD + Nesterov, warm-up and "
    "cosine, weight decay on kernels only, label smoothing 0.1; one training step ran.":
        "已按本课的方式针对 {steps} 步 × {epochs} 个迭代周期完成编译：SGD + Nesterov、预热加余弦衰减、"
        "只对权重（kernel）做权重衰减、标签平滑 0.1；一个训练步顺利运行。",
    # 03.7 a tf.data training pipeline with an augmentation map
    "Iterating over your dataset failed: {error} — does it use the size of the images it is "
    "given ({size}×{size} here), not 32?":
        "遍历你的数据集时出错：{error}——它用的是传入图像的尺寸（这里是 {size}×{size}），"
        "而不是 32 吗？",
    "Your dataset yields no batches.": "你的数据集没有输出任何批量。",
    "A tf.data training pipeline with an augmentation map": "带图像增广映射的 tf.data 训练管道",
    "Dataset.from_tensor_slices((images, labels)), then .shuffle(len(images)) (a new order every "
    "epoch), .map(augment) on single images (pad_to_bounding_box by 2, random_crop back to H × W "
    "× 3, random_flip_left_right), .batch(batch_size), a .map that casts the images to float32 "
    "and one-hot encodes the labels, .prefetch(tf.data.AUTOTUNE).":
        "Dataset.from_tensor_slices((images, labels))，"
        "然后 .shuffle(len(images))（每个迭代周期一个新的顺序），"
        "在单张图像上 .map(augment)（用 pad_to_bounding_box 填充 2 个像素，"
        "用 random_crop 裁回 H × W × 3，再 random_flip_left_right），.batch(batch_size)，"
        "再用一个 .map 把图像转为 float32 并把标签转为独热编码，最后 .prefetch(tf.data.AUTOTUNE)。",
    "make_train_pipeline should return a tf.data.Dataset; it returned {kind}.":
        "make_train_pipeline 应当返回一个 tf.data.Dataset，但它返回的是 {kind}。",
    "Your dataset should yield (images, labels) pairs; its elements are {spec}.":
        "你的数据集应当输出 (images, labels) 对；而它的元素是 {spec}。",
    "Your dataset yields single images: batch them (.batch(batch_size)).":
        "你的数据集输出的是单张图像：请把它们分批（.batch(batch_size)）。",
    "For images {shape} your batches should have shape (None, {size}, {size}, 3); yours have "
    "{got} — crop to the size of the images given (images.shape[1:]), not 32.":
        "对于形状为 {shape} 的图像，你的批量的形状应当是 (None, {size}, {size}, 3)；"
        "而你的是 {got}——请裁剪到传入图像的尺寸（images.shape[1:]），而不是 32。",
    "For images {shape} your batches should have shape (None, {size}, {size}, 3); yours have "
    "{got}.":
        "对于形状为 {shape} 的图像，你的批量的形状应当是 (None, {size}, {size}, 3)；"
        "而你的是 {got}。",
    "Every batch has exactly {batch} images: with drop_remainder=True the last, smaller batch is "
    "lost, and some images are never trained on; keep it (the default).":
        "每个批量都恰好有 {batch} 张图像：使用 drop_remainder=True 时，最后那个较小的批量会被丢掉，"
        "有些图像永远不会参与训练；请保留它（默认行为）。",
    "Your images are {dtype}; cast them to float32 (after the augmentation, keeping their 0–255 "
    "values).":
        "你的图像是 {dtype}；请把它们转为 float32（在图像增广之后进行，并保持 0–255 的取值）。",
    "Your labels are integers; the lesson's loss (CategoricalCrossentropy with label smoothing) "
    "needs one-hot labels: tf.one_hot(labels, 10).":
        "你的标签是整数；本课的损失（带标签平滑的 CategoricalCrossentropy）需要独热标签："
        "tf.one_hot(labels, 10)。",
    "Labels should be one-hot float32 vectors of 10 classes, shape (None, 10); yours are {dtype} "
    "{shape}.":
        "标签应当是 10 个类别的独热 float32 向量，形状为 (None, 10)；而你的是 {dtype} {shape}。",
    "Your dataset never ends (.repeat()?): model.fit counts epochs itself, so one pass over the "
    "dataset should be one epoch.":
        "你的数据集永远不会结束（用了 .repeat()？）：model.fit 会自己计算迭代周期数，"
        "所以遍历一遍数据集应当就是一个迭代周期。",
    "Your epoch has {full} full batches: the last {rest} images are dropped "
    "(drop_remainder=True); keep the smaller last batch.":
        "你的一个迭代周期有 {full} 个完整的批量：最后 {rest} 张图像被丢掉了（drop_remainder=True）；"
        "请保留最后那个较小的批量。",
    "One pass over your dataset yields {count} images; it should yield each of the {n} images "
    "once (one epoch).":
        "遍历一遍你的数据集会得到 {count} 张图像；它应当把 {n} 张图像各输出一次（一个迭代周期）。",
    "Your batches hold {sizes}… images; with batch_size={batch} they should hold {expected}… "
    "(the last one {rest}).":
        "你的批量分别有 {sizes}… 张图像；"
        "batch_size={batch} 时应当是 {expected}…（最后一个为 {rest}）。",
    "Your images are scaled to 0–1; keep the raw 0–255 values as float32: the course's models "
    "normalise their inputs themselves.":
        "你的图像被缩放到了 0–1；请保留原始的 0–255 取值，并转为 float32："
        "课程中的模型会自己对输入做规范化。",
    "Your images have negative values; keep the raw 0–255 values as float32: the course's models "
    "normalise their inputs themselves.":
        "你的图像有负值；请保留原始的 0–255 取值，并转为 float32："
        "课程中的模型会自己对输入做规范化。",
    "Your labels are smoothed already; keep them one-hot: the loss applies the label smoothing.":
        "你的标签已经做过平滑；请保持独热编码：标签平滑由损失来完成。",
    "Your labels are not one-hot vectors (one 1, nine 0s): tf.one_hot(labels, 10).":
        "你的标签不是独热向量（一个 1，九个 0）：tf.one_hot(labels, 10)。",
    "Some output images are not shifted or mirrored copies of one input image (their pixel "
    "values changed): the augmentation only pads with zeros, crops and flips.":
        "有些输出图像不是某一张输入图像经过平移或镜像翻转的副本（它们的像素值变了）："
        "图像增广只做零填充、裁剪和翻转。",
    "In one epoch {missing} images never appear and {repeated} appear more than once; each image "
    "should appear exactly once per epoch.":
        "在一个迭代周期中有 {missing} 张图像从未出现，{repeated} 张出现了不止一次；"
        "每张图像在每个迭代周期中应当恰好出现一次。",
    "The labels no longer belong to their images: shuffle (image, label) pairs together, from "
    "one Dataset.from_tensor_slices((images, labels)).":
        "标签不再与它们的图像对应：请把 (image, label) 对放在一起打乱，"
        "它们应来自同一个 Dataset.from_tensor_slices((images, labels))。",
    "Image {i} is shifted by more than 2 pixels: pad by 2 (CROP_PAD), not 4.":
        "图像 {i} 的平移超过了 2 个像素：应当填充 2 个像素（CROP_PAD），而不是 4 个。",
    "Image {i} was padded by reflection; pad with zeros (tf.image.pad_to_bounding_box).":
        "图像 {i} 用的是反射填充；请用零填充（tf.image.pad_to_bounding_box）。",
    "Image {i} is not a window of the image padded with 2 zeros on each side, mirrored or not: "
    "pad, crop back, flip — no resizing or colour changes.":
        "图像 {i} 不是四周各填充 2 个零之后的图像中的一个窗口（无论是否镜像翻转）：只做填充、裁回、"
        "翻转——不要缩放，也不要改变颜色。",
    "Your images come in their input order: shuffle them (.shuffle(len(images)) before the map "
    "and the batching).":
        "你的图像按输入的顺序输出：请打乱它们（在 map 和分批之前调用 .shuffle(len(images))）。",
    "Each batch holds consecutive images: you shuffled whole batches (shuffle after batch). "
    "Shuffle the images, before batching.":
        "每个批量里都是连续的图像：你打乱的是整个批量（在 batch 之后才 shuffle）。"
        "请在分批之前打乱图像。",
    "Your images come out nearly in their input order: the shuffle buffer is too small (an image "
    "can only move as far as the buffer reaches). Use a buffer of all the images: "
    ".shuffle(len(images)).":
        "你的图像输出时几乎仍是输入的顺序："
        "打乱用的缓冲区太小了（一张图像最多只能移动到缓冲区所及的范围）。"
        "请使用容纳全部图像的缓冲区：.shuffle(len(images))。",
    "Both epochs have the same order: shuffle anew every epoch (.shuffle(…) in the pipeline with "
    "reshuffle_each_iteration=True, the default — not once with NumPy, and not with "
    "reshuffle_each_iteration=False).":
        "两个迭代周期的顺序完全相同：请在每个迭代周期重新打乱（在管道中使用 .shuffle(…)，"
        "并保持默认的 reshuffle_each_iteration=True——不要只用 NumPy 打乱一次，"
        "也不要设置 reshuffle_each_iteration=False）。",
    "Your images come out unchanged: no augmentation (pad, random crop, random flip) was applied.":
        "你的图像原样输出：没有应用任何图像增广（填充、随机裁剪、随机翻转）。",
    "All images of a batch share one crop offset: the augmentation ran on whole batches. Map it "
    "over single images, before .batch().":
        "同一个批量中的所有图像共用一个裁剪偏移：图像增广是作用在整个批量上的。"
        "请在 .batch() 之前把它映射到单张图像上。",
    "No image was shifted: pad by 2 and crop back at a random offset (tf.image.random_crop on "
    "each image).":
        "没有任何图像被平移：填充 2 个像素，再以随机偏移裁回（对每张图像调用 tf.image.random_crop）"
        "。",
    "Your crops move the images by at most 1 pixel; padding by 2 allows shifts of up to 2 in "
    "each direction.":
        "你的裁剪最多只把图像平移 1 个像素；填充 2 个像素时，每个方向最多可以平移 2 个像素。",
    "No image was mirrored: flip about half of them left–right (tf.image.random_flip_left_right).":
        "没有任何图像被镜像翻转：请把其中约一半左右翻转（tf.image.random_flip_left_right）。",
    "Every image got the same crop and flip in both epochs: the augmentation should draw new "
    "ones each epoch (map after any .cache(), inside the pipeline).":
        "每张图像在两个迭代周期中得到的裁剪和翻转都相同：图像增广应当在每个迭代周期重新抽取（在管道内部、"
        "在任何 .cache() 之后进行 map）。",
    "{n} images in {batches} batches of {batch} (the last {rest}), reshuffled every epoch, each "
    "a random shift of up to 2 pixels, {flipped:.0%} mirrored; float32 0–255 images and one-hot "
    "labels.":
        "{n} 张图像分成 {batches} 个批量，每批 {batch} 张（最后一批 {rest} 张），每个迭代周期重新打乱，"
        "每张图像随机平移至多 2 个像素，{flipped:.0%} 被镜像翻转；图像为取值 0–255 的 float32，"
        "标签为独热编码。",
}
