"""Chinese texts of lesson 06's exercises (``course/exercises/lesson06.py``): the trainable
parameters of step 1 of fine-tuning, unfreezing for step 2 with BatchNorm kept frozen, and a
new classifier on a frozen pretrained base."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # 06.1 trainable parameters in step 1 of fine-tuning
    "Trainable parameters in step 1 of fine-tuning, 12 classes":
        "微调第 1 步中的可训练参数量（12 个类别）",
    "In step 1 every pretrained layer is frozen; only the new Dense classifier trains. It reads "
    "the output of the global average pooling: one number per channel of ResNet-20's last stage, "
    "whatever the image size.":
        "在第 1 步中，所有预训练的层都被冻结；只有新的 Dense 分类器参与训练。"
        "它读取全局平均汇聚的输出：无论图像尺寸如何，"
        "ResNet-20 最后一个阶段的每个通道都对应一个数。",
    "that is the lesson's classifier for five classes; your folder has {classes}.":
        "这是本课中五个类别的分类器；你的文件夹有 {classes} 个类别。",
    "that is a classifier for CIFAR-10's ten classes; your folder has {classes}.":
        "这是针对 CIFAR-10 十个类别的分类器；你的文件夹有 {classes} 个类别。",
    "the new Dense layer has a bias for each class too.":
        "新的 Dense 层还为每个类别各设有一个偏置。",
    "the classifier reads the pooled output of stage 3, which has {channels} channels; 16 is "
    "stage 1's width.":
        "分类器读取的是第 3 阶段经过汇聚的输出，它有 {channels} 个通道；16 是第 1 阶段的宽度。",
    "the classifier reads the pooled output of stage 3, which has {channels} channels; 32 is "
    "stage 2's width.":
        "分类器读取的是第 3 阶段经过汇聚的输出，它有 {channels} 个通道；32 是第 2 阶段的宽度。",
    "global average pooling turns each of the feature maps into one number, whatever the image "
    "size: the classifier gets no more inputs for {size}×{size} images.":
        "无论图像尺寸如何，全局平均汇聚都把每张特征图变成一个数：对于 {size}×{size} 的图像，"
        "分类器得到的输入并不会更多。",
    "that counts every parameter; in step 1 the pretrained layers are frozen and only the new "
    "classifier trains.":
        "这把所有参数都算进去了；在第 1 步中，预训练的层被冻结，只有新的分类器参与训练。",
    "those are the frozen parameters; the question asks for the trainable ones.":
        "这是被冻结的参数；题目问的是可训练的参数。",
    "that is step 2, with every convolution unfrozen; step 1 trains the new classifier alone.":
        "这是第 2 步的结果，那时所有卷积层都已解冻；第 1 步只训练新的分类器。",
    "{value:,.0f} is about the size of the whole network; in step 1 the pretrained layers are "
    "frozen and only the new classifier trains.":
        "{value:,.0f} 大约是整个网络的规模；在第 1 步中，预训练的层被冻结，"
        "只有新的分类器参与训练。",
    " One weight per pooled feature and class, {features}·{classes}, plus {classes} biases, of "
    "{total:,} parameters; the image size does not change it.":
        "每个汇聚后的特征与每个类别之间各有一个权重，共 {features}·{classes} 个，"
        "再加上 {classes} 个偏置（整个模型共有 {total:,} 个参数）；图像尺寸不会改变这个数。",
    # 06.2 unfreezing for step 2: every layer but BatchNorm
    "Unfreeze for step 2: every layer but BatchNorm": "为第 2 步解冻：除批量规范化层以外的所有层",
    "Loop over model.layers and set layer.trainable = not isinstance(layer, "
    "keras.layers.BatchNormalization): the convolutions and the classifier train, the BatchNorm "
    "layers stay frozen (in Keras 3 a frozen BatchNorm also runs in inference mode).":
        "遍历 model.layers，设置 layer.trainable = not isinstance(layer, "
        "keras.layers.BatchNormalization)：卷积层和分类器参与训练，批量规范化层保持冻结"
        "（在 Keras 3 中，冻结的批量规范化层还会以推理模式运行）。",
    "Change the model's layers in place and return the model (or nothing); yours returned {kind}.":
        "请就地修改模型的各层，然后返回模型（或者什么都不返回）；而你的函数返回的是 {kind}。",
    "Only the new classifier is trainable — that is step 1. Step 2 unfreezes the convolutions "
    "too.":
        "只有新的分类器是可训练的——这是第 1 步。第 2 步还要解冻卷积层。",
    "Set trainable layer by layer: rh.fine_tune_model froze the layers one by one, and with "
    "TensorFlow model.trainable = True does nothing while the model's own flag is already True.":
        "请逐层设置 trainable：rh.fine_tune_model 是逐层冻结的，而在使用 TensorFlow 时，"
        "如果模型自身的标志已经是 True，model.trainable = True 不起任何作用。",
    "The new classifier ({classifier}) is frozen; it keeps training in step 2.":
        "新的分类器（{classifier}）被冻结了；在第 2 步中它要继续训练。",
    "{frozen} of the {convolutions} convolutions are still frozen (e.g. {example}): step 2 "
    "unfreezes every layer but BatchNorm.":
        "{convolutions} 个卷积层中有 {frozen} 个仍被冻结（例如 {example}）："
        "第 2 步要解冻除批量规范化层以外的所有层。",
    "Your BatchNorm layers are trainable, so in training they normalise with each batch's own "
    "statistics: one step changed {example}'s moving mean. Keep them frozen, with the statistics "
    "learned on the large pretraining set rather than a few dozen of your images.":
        "你的批量规范化层是可训练的，因此在训练时它们会用每个批量自身的统计量进行规范化："
        "仅一步训练就改变了 {example} 的滑动均值。请让它们保持冻结，"
        "使用在大型预训练数据集上学到的统计量，而不是由你的几十张图像得出的统计量。",
    "A training step did not change {layer}'s kernel; is it trainable?":
        "一个训练步没有改变 {layer} 的权重（kernel）；它是可训练的吗？",
    "Right: one training step moved every convolution and the classifier and left every "
    "BatchNorm statistic as it was.":
        "正确：一个训练步改变了每个卷积层和分类器，而所有批量规范化的统计量都保持原样。",
    # 06.3 a new classifier on a frozen pretrained base
    "A new classifier on a frozen pretrained base": "在冻结的预训练基础网络上接一个新的分类器",
    "base.trainable = False; inputs = keras.Input(base.input_shape[1:]); features = base(inputs, "
    "training=False); outputs = keras.layers.Dense(num_classes, activation='softmax')(features); "
    "return keras.Model(inputs, outputs).":
        "依次写出：base.trainable = False；inputs = keras.Input(base.input_shape[1:])；"
        "features = base(inputs, training=False)；"
        "outputs = keras.layers.Dense(num_classes, activation='softmax')(features)；"
        "return keras.Model(inputs, outputs)。",
    "attach_new_classifier should return a keras.Model; it returned {kind}.":
        "attach_new_classifier 应当返回一个 keras.Model；而它返回的是 {kind}。",
    "Your model should take the base's images, {expected}; it takes {got}.":
        "你的模型应当接收与 base 相同的图像，形状为 {expected}；而它接收的是 {got}。",
    "For num_classes={classes} the model should output (batch, {classes}), one probability per "
    "class; yours outputs {shape}. Use Dense(num_classes).":
        "当 num_classes={classes} 时，模型应当输出 (batch, {classes})，即每个类别一个概率；"
        "而你的模型输出的是 {shape}。请使用 Dense(num_classes)。",
    "Your model outputs scores, not probabilities: give the Dense layer activation='softmax'. "
    "The course's models output probabilities, and the loss, sparse_categorical_crossentropy, "
    "expects them.":
        "你的模型输出的是得分，而不是概率：请给 Dense 层加上 activation='softmax'。"
        "课程中的模型输出的都是概率，损失函数 sparse_categorical_crossentropy 要求的也是概率。",
    "The base is not frozen: its weights would train from the first step, with the large "
    "gradients of a random classifier. Set base.trainable = False.":
        "base 没有被冻结：它的权重会从第一步起就参与训练，接收随机分类器带来的大梯度。"
        "请设置 base.trainable = False。",
    "Only the new Dense layer should train: {channels}·{classes} + {classes} = {expected} "
    "parameters; your model trains {trainable:,}.":
        "只有新的 Dense 层应当参与训练：{channels}·{classes} + {classes} = {expected} 个参数；"
        "而你的模型训练的是 {trainable:,} 个。",
    "Called with training=True your model gives other outputs than in inference: part of the "
    "base runs in training mode. Freeze the whole base.":
        "以 training=True 调用时，你的模型给出的输出与推理时不同：base 的一部分以训练模式运行。"
        "请冻结整个 base。",
    "A training step changed the base ({weight}); it must stay as it was.":
        "一个训练步改变了 base（{weight}）；它必须保持原样。",
    "Right: only the new classifier's {count} parameters train; a training step leaves the base "
    "— weights and BatchNorm statistics — as it was.":
        "正确：只有新分类器的 {count} 个参数参与训练；"
        "一个训练步不会改变 base——无论是它的权重还是批量规范化的统计量。",
}
