"""Run Fatras + digitization on one event's particles through the ACTS example framework.

One ACTS ``Sequencer`` per event, each with its own seeds: ACTS derives per-event random
streams from ``seed + event number``, which would couple neighbouring events and seeds;
a sequencer per event makes every event depend on (seed, event id) only. The particles
enter through a Python ``IReader`` (ACTS barcodes: vertexPrimary 1, particle = row + 1,
which Fatras accepts), and results come back through the ACTS CSV writers in a
temporary directory that is read here and deleted by the caller.
"""

from __future__ import annotations

import functools
import logging
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from trackgnn.simulation.config import SimulationConfig
from trackgnn.simulation.geometry import acts_geometry, digitization_json

log = logging.getLogger(__name__)
MAX_PARTICLES = (1 << 16) - 1


@dataclass
class ActsOutput:
    """The ACTS CSV tables of one event."""

    particles: pd.DataFrame  # particles_simulated (primaries and Fatras secondaries)
    simhits: pd.DataFrame
    measurements: pd.DataFrame
    measurement_simhits: pd.DataFrame
    cells: pd.DataFrame


@functools.lru_cache(maxsize=2)
def _digi_config(mode: str):
    import acts.examples.json as acts_json

    with tempfile.TemporaryDirectory(prefix="trackgnn-digi-") as tmp:
        path = digitization_json(Path(tmp) / "digi.json", mode)
        return acts_json.readDigiConfigFromJson(str(path))


def _reader_class():
    import acts
    import acts.examples

    class FrameParticleReader(acts.examples.IReader):
        """Feeds one pandas frame of particles to the whiteboard as event 0."""

        def __init__(self, frame: pd.DataFrame, output: str):
            acts.examples.IReader.__init__(self, "FrameParticleReader", acts.logging.WARNING)
            self._frame = frame
            self._handle = acts.examples.WriteDataHandle(self, acts.examples.SimParticleContainer, "OutputParticles")
            self._handle.initialize(output)

        def availableEvents(self):
            return (0, 1)

        def read(self, context):
            u = acts.UnitConstants
            container = acts.examples.SimParticleContainer()
            f = self._frame
            p = np.sqrt(f.px.to_numpy() ** 2 + f.py.to_numpy() ** 2 + f.pz.to_numpy() ** 2)
            cols = zip(
                f.vx.to_numpy(),
                f.vy.to_numpy(),
                f.vz.to_numpy(),
                f.px.to_numpy() / p,
                f.py.to_numpy() / p,
                f.pz.to_numpy() / p,
                p,
                f.q.to_numpy(),
                f.pdg.to_numpy(),
                f.mass.to_numpy(),
            )
            for i, (vx, vy, vz, dx, dy, dz, pp, q, pdg, mass) in enumerate(cols):
                barcode = acts.examples.SimBarcode()
                barcode.vertexPrimary = 1
                barcode.particle = i + 1
                particle = acts.examples.SimParticle(
                    barcode, acts.PdgParticle(int(pdg)), float(q) * u.e, float(mass) * u.GeV
                )
                particle.fourPosition = acts.Vector4(float(vx) * u.mm, float(vy) * u.mm, float(vz) * u.mm, 0.0)
                particle.direction = acts.Vector3(float(dx), float(dy), float(dz))
                particle.absoluteMomentum = float(pp) * u.GeV
                container.insert(particle)
            self._handle(context, container)
            return acts.examples.ProcessCode.SUCCESS

    return FrameParticleReader


def run_acts(particles: pd.DataFrame, cfg: SimulationConfig, seeds: tuple[int, int], workdir: Path) -> ActsOutput:
    """Simulate ``particles`` (columns of :mod:`trackgnn.simulation.particles`) in ``workdir``.

    Row ``i`` of ``particles`` becomes ACTS barcode particle ``i + 1``.
    """
    import acts
    import acts.examples

    if len(particles) > MAX_PARTICLES:
        raise ValueError(f"{len(particles)} particles in one event; ACTS barcodes hold at most {MAX_PARTICLES}")
    u = acts.UnitConstants
    _, geometry = acts_geometry()
    field = acts.ConstantBField(acts.Vector3(0.0, 0.0, cfg.bfield_t * u.T))
    quiet = acts.logging.WARNING
    seq = acts.examples.Sequencer(events=1, numThreads=1, logLevel=quiet, outputDir=str(workdir), trackFpes=False)
    seq.addReader(_reader_class()(particles, "particles_input"))
    fatras = acts.examples.FatrasSimulation(
        level=quiet,
        inputParticles="particles_input",
        outputParticles="particles_simulated",
        outputSimHits="simhits",
        randomNumbers=acts.examples.RandomNumbers(seed=int(seeds[0])),
        trackingGeometry=geometry,
        magneticField=field,
        generateHitsOnSensitive=True,
        emScattering=cfg.material,
        emEnergyLossIonisation=cfg.material,
        emEnergyLossRadiation=cfg.material,
        emPhotonConversion=cfg.material,
        pMin=cfg.p_min_gev * u.GeV,
    )
    seq.addAlgorithm(fatras)
    digi_cfg = acts.examples.DigitizationAlgorithm.Config(
        digitizationConfigs=_digi_config(cfg.digitization),
        surfaceByIdentifier=geometry.geoIdSurfaceMap(),
        randomNumbers=acts.examples.RandomNumbers(seed=int(seeds[1])),
        inputSimHits="simhits",
        outputMeasurements="measurements",
        outputClusters="clusters",
        outputMeasurementParticlesMap="measurement_particles_map",
        outputMeasurementSimHitsMap="measurement_simhits_map",
        outputParticleMeasurementsMap="particle_measurements_map",
        outputSimHitMeasurementsMap="simhit_measurements_map",
    )
    seq.addAlgorithm(acts.examples.DigitizationAlgorithm(digi_cfg, quiet))
    out = str(workdir)
    seq.addWriter(
        acts.examples.CsvParticleWriter(
            level=quiet, inputParticles="particles_simulated", outputDir=out, outputStem="particles"
        )
    )
    seq.addWriter(
        acts.examples.CsvSimHitWriter(level=quiet, inputSimHits="simhits", outputDir=out, outputStem="simhits")
    )
    seq.addWriter(
        acts.examples.CsvMeasurementWriter(
            level=quiet,
            inputMeasurements="measurements",
            inputClusters="clusters" if cfg.digitization == "geometric" else "",
            inputMeasurementSimHitsMap="measurement_simhits_map",
            outputDir=out,
        )
    )
    seq.run()
    return _read_outputs(workdir, cfg.digitization == "geometric")


def _read_outputs(workdir: Path, with_cells: bool) -> ActsOutput:
    stem = workdir / "event000000000-"
    gid = {"geometry_id": np.uint64}
    cells_path = Path(f"{stem}cells.csv")
    cells = (
        pd.read_csv(cells_path, dtype=gid)
        if with_cells and cells_path.exists()
        else pd.DataFrame({"measurement_id": [], "channel0": [], "channel1": [], "value": []})
    )
    return ActsOutput(
        particles=pd.read_csv(f"{stem}particles.csv"),
        simhits=pd.read_csv(f"{stem}simhits.csv", dtype=gid),
        measurements=pd.read_csv(f"{stem}measurements.csv", dtype=gid),
        measurement_simhits=pd.read_csv(f"{stem}measurement-simhit-map.csv"),
        cells=cells,
    )
