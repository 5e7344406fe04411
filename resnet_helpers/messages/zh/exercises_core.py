"""Chinese texts of the exercise machinery: ``check``'s feedback and the progress table
(``course/exercises/core.py``), reading answers (``answers.py``) and running a learner's Keras
code (``probe.py``)."""

__all__ = ["MESSAGES"]

MESSAGES = {
    # messages/__init__.py: join(), a list inside a sentence
    ", ": "、",
    # core.py: feedback, solution place, progress
    "{mark} Exercise {id}:{head} {message}": "{mark} 练习 {id}：{head}{message}",
    " passed.": "通过。",
    " wrong.": "未通过。",
    "  Hint: {hint}": "  提示：{hint}",
    "  Solution (compare after trying): {where}": "  参考答案（请先自己尝试，再对照）：{where}",
    "{path}, exercise {id}": "{path}，练习 {id}",
    "Right.": "正确。",
    "Not attempted yet — replace the placeholder with your answer and run the cell again.":
        "尚未作答——把占位符换成你的答案，再运行这个单元格。",
    "This answer could not be checked ({error}); is it of the kind the exercise asks for (a "
    "number, a shape, a name, a list or a function)?":
        "无法检查这个答案（{error}）；它是练习要求的那种答案吗（一个数、一个形状、一个名称、"
        "一个列表或一个函数）？",
    "Note: the progress file {path} could not be read ({error}); it was kept as {backup} and a "
    "new one is started.":
        "注意：无法读取进度文件 {path}（{error}）；原文件已另存为 {backup}，现在开始一个新的进度文件。",
    "progress file: {path}": "进度文件：{path}",
    "{done}/{total} passed": "已通过 {done}/{total}",
    "all lessons": "全部课程",
    "(✓ passed, ✗ tried, · not yet)": "（✓ 已通过，✗ 尝试过，· 尚未作答）",
    # answers.py: numbers, shapes, functions
    "Right: {value}.": "正确：{value}。",
    "{value} is not it: {message}": "{value} 不对：{message}",
    "{value} is too large; it is none of the usual slips either.":
        "{value} 偏大，也对不上任何一种常见的失误。",
    "{value} is too small; it is none of the usual slips either.":
        "{value} 偏小，也对不上任何一种常见的失误。",
    "The answer should be a number, got {value}{extra}.":
        "答案应当是一个数，而你给出的是 {value}{extra}。",
    " (write it without quotes)": "（不要加引号）",
    "The answer should be a shape, a tuple of whole numbers such as (32, 32, 16); got {value}.":
        "答案应当是一个形状，即由整数组成的元组，例如 (32, 32, 16)；而你给出的是 {value}。",
    "{answer} has {count} numbers; this shape has {length}.":
        "{answer} 有 {count} 个数，而这个形状有 {length} 个。",
    "This exercise expects a function (def …), got {value}.":
        "这道练习需要一个函数（def …），而你给出的是 {value}。",
    "Not attempted yet — your function still raises NotImplementedError; write its body and run "
    "the cell again.":
        "尚未作答——你的函数仍然抛出 NotImplementedError；写好函数体，再运行这个单元格。",
    "your function raised {error}: {first}": "你的函数抛出了 {error}：{first}",
    "{what} raised {error}: {first}": "{what} 抛出了 {error}：{first}",
    # probe.py: running the learner's Keras code
    "Your function (called on keras.Input(shape={shape}) with {args})":
        "你的函数（以 keras.Input(shape={shape}) 和参数 {args} 调用）",
    "Your function should return the block's output tensor (a KerasTensor); it returned {kind}.":
        "你的函数应当返回这个块的输出张量（一个 KerasTensor），但它返回的是 {kind}。",
    "Could not build a model from your block's input to its output ({error}); return a tensor "
    "computed from x.":
        "无法从你的块的输入到输出构建模型（{error}）；请返回一个由 x 计算得到的张量。",
    "Running your model on a batch of shape {shape} failed: {error}":
        "在形状为 {shape} 的批量上运行你的模型时出错：{error}",
    "Your convolutions {names} have biases; {why}": "你的卷积层 {names} 带有偏置；{why}",
    "Pass use_bias=False to Conv2D: the BatchNormalization right after it subtracts the mean, so "
    "a bias would be cancelled anyway.":
        "给 Conv2D 传入 use_bias=False：紧随其后的批量规范化会减去均值，偏置反正会被抵消掉。",
}
