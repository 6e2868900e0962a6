import logging

import lightning as L
import torch

from trackgnn.training.progress import EpochLine, format_metrics, quiet_lightning


class Tiny(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.layer = torch.nn.Linear(2, 1)

    def training_step(self, batch, batch_idx):
        loss = self.layer(batch).pow(2).mean()
        self.log("train_loss", loss, on_epoch=True, on_step=False)
        return loss

    def configure_optimizers(self):
        return torch.optim.SGD(self.parameters(), lr=0.1)


def test_one_line_per_epoch(tmp_path, caplog):
    quiet_lightning()
    data = torch.utils.data.DataLoader(torch.randn(8, 2), batch_size=4)
    trainer = L.Trainer(
        max_epochs=3,
        callbacks=[EpochLine("tiny")],
        logger=False,
        enable_checkpointing=False,
        enable_progress_bar=False,
        enable_model_summary=False,
        default_root_dir=tmp_path,
    )
    with caplog.at_level(logging.INFO, logger="trackgnn.training"):
        trainer.fit(Tiny(), data)
    lines = [r.getMessage() for r in caplog.records if r.name == "trackgnn.training"]
    assert [line.split(":")[0] for line in lines] == ["tiny epoch 1/3", "tiny epoch 2/3", "tiny epoch 3/3"]
    assert all("train_loss" in line and line.endswith(" s)") for line in lines)


def test_format_metrics():
    assert format_metrics({"b": torch.tensor(0.123456), "a": 2, "c": float("nan"), "d": "x"}) == "a 2, b 0.1235, c nan"


def test_lightning_lines_are_not_doubled():
    quiet_lightning()
    logger = logging.getLogger("lightning.pytorch")
    assert not logger.handlers and logger.propagate
