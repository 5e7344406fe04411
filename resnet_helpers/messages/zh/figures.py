"""Figures: titles, axis labels and legends of :mod:`resnet_helpers.inspect.plots`, and the note
of :mod:`resnet_helpers.inspect.fonts` when no font can draw Chinese."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # axes and legends shared by several plots
    "epoch": "迭代周期",
    "loss": "损失",
    "accuracy": "准确率",
    "training": "训练集",
    "validation": "验证集",
    "chance": "随机猜测",
    "validation accuracy": "验证准确率",
    "test accuracy": "测试准确率",
    # confusion matrix, per-class accuracy, feature maps, Grad-CAM, residual ratios
    "predicted class": "预测类别",
    "true class": "真实类别",
    "overall {overall:.1%}": "总体 {overall:.1%}",
    "input": "输入",
    "Grad-CAM (0: no evidence, 1: the most)": "Grad-CAM（0：没有证据，1：证据最强）",
    "How much each residual block changes its input": "每个残差块对其输入的改变有多大",
    # architecture
    "stem": "起始层",
    "pool + dense": "汇聚 + 全连接",
    "projection": "投影",
    "padding": "填充",
    "{name}: {parameters:,} parameters (solid red arcs: identity shortcuts; dashed purple: "
    "shortcuts that change the shape)":
        "{name}：{parameters:,} 个参数（红色实线弧：恒等快捷连接；紫色虚线弧：改变形状的快捷连接）",
    # why residuals work: degradation, gradient norms, loss landscapes
    "training error": "训练误差",
    "validation error": "验证误差",
    "error (%)": "误差（%）",
    "convolution (1 = first, next to the input)": "卷积层（1 = 第一个，紧邻输入）",
    "α  (0: initialisation, 1: trained)": "α（0：初始化，1：训练后）",
    "direction {n}": "方向 {n}",
    "loss (log scale)": "损失（对数刻度）",
    # lesion study
    "{label}, one block deleted": "{label}，删除一个块",
    "{label}, intact ({accuracy:.1%})": "{label}，完整网络（{accuracy:.1%}）",
    "chance ({chance:.0%})": "随机猜测（{chance:.0%}）",
    "deleted block (1 = nearest the input; blocks that change shape are kept)":
        "删除的块（1 = 最靠近输入；改变形状的块不删除）",
    # no font for Chinese
    "Note: no font with Chinese characters was found, so figures cannot draw Chinese text: they "
    "use English labels and class numbers (\"class 3\") instead. To draw Chinese, install a font "
    "(`pip install mplfonts`, part of the course's environment, or a system package such as "
    "fonts-noto-cjk) and restart the kernel.":
        "注意：没有找到包含中文字符的字体，图中无法绘制中文，因此图中改用英文标签和类别编号"
        "（“class 3”）。要在图中显示中文，请安装一种字体（`pip install mplfonts`，课程环境已包含它；"
        "或系统软件包，例如 fonts-noto-cjk），然后重启内核。",
    # inspect/interpret.py: which scores Grad-CAM differentiates (printed by lessons 04 and 06)
    "the output of layer {layer!r} (score_layer given)": "层 {layer!r} 的输出（由 score_layer 指定）",
    "the Dense layer 'logits'": "全连接层 'logits'",
    "the input of the {kind} layer {layer!r} (the scores before the {kind})":
        "{kind} 层 {layer!r} 的输入（{kind} 之前的分数）",
    "the scores of Dense layer {layer!r} before its {activation} (its kernel and bias applied "
    "to its input)":
        "全连接层 {layer!r} 在 {activation} 之前的分数（它的权重和偏置作用于其输入）",
    "the model's output {layer!r} (it has no softmax or sigmoid)":
        "模型的输出 {layer!r}（它没有 softmax 或 sigmoid）",
}
