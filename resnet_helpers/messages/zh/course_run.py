"""Chinese texts of ``make run``'s script (``scripts/run_course.py``): progress and summary."""

__all__ = ["MESSAGES"]

MESSAGES = {
    " (smoke mode)": "（冒烟测试模式）",
    "Running {n} lessons into {out}{smoke}": "运行 {n} 课，结果写入 {out}{smoke}",
    "Resuming {n} lessons into {out}{smoke}": "继续运行 {n} 课，结果写入 {out}{smoke}",
    "finished earlier, kept": "之前已完成，保留",
    "finished earlier": "之前已完成",
    "ok": "完成",
    "FAILED in cell {cell}: {error}": "在第 {cell} 个单元格失败：{error}",
    "{name} failed in cell {cell}: {error}: {value}\nOpen {path} to see the cell and its "
    "traceback.":
        "{name} 在第 {cell} 个单元格失败：{error}：{value}\n打开 {path} 查看这个单元格及其回溯信息。",
    "min": "分钟",
    "notebook": "notebook 文件",
    "status": "状态",
    "wall time": "用时",
    "total": "总计",
    "Trained {model} ({params:,} parameters) for {epochs} epochs on {device}: test accuracy "
    "{accuracy:.2%}, {speed:.0f} images/s, training {minutes:.1f} min.":
        "在 {device} 上训练了 {model}（{params:,} 个参数）{epochs} 个迭代周期：测试准确率 "
        "{accuracy:.2%}，每秒 {speed:.0f} 张图像，训练用时 {minutes:.1f} 分钟。",
    "Executed notebooks, model, metrics and figures: {folder}":
        "执行过的 notebook、模型、指标和图表：{folder}",
}
