# Truth-free figures of the test events, and real vs simulated events through the same
# models (issue 25): every run without truth writes them, so a run on real files reports
# what its models saw and gave; diagnostics.simulated_run adds the comparison and targets.
import shlex

DIAG = config["diagnostics"]
SIM_RUN = DIAG["simulated_run"]
if TEST_SHARDS and (DIAG["figures"] or not HAS_TRUTH or SIM_RUN):
    REPORT_OUTPUTS.append(f"{RUN}/diagnostics/figures.json")
if TEST_SHARDS and SIM_RUN:
    REPORT_OUTPUTS.append(f"{RUN}/diagnostics/sim_to_real.json")
_WITH_CKF = config["evaluation"]["acts_ckf"]


rule run_figures:
    input:
        graphs=expand(f"{RUN}/graphs/{{shard}}.h5", shard=TEST_SHARDS),
        records=expand(f"{RUN}/graphs/{{shard}}.json", shard=TEST_SHARDS),
        scored=expand(f"{RUN}/scored/{{shard}}.h5", shard=TEST_SHARDS),
        tracks=expand(f"{RUN}/tracks/gnn/{{shard}}.csv", shard=TEST_SHARDS),
        ckf=(
            expand(f"{RUN}/tracks/ckf/{{shard}}.csv", shard=TEST_SHARDS)
            if _WITH_CKF
            else []
        ),
        agreement=f"{RUN}/agreement/gnn_ckf.json" if _WITH_CKF else [],
        events=expand(f"{RUN}/events/{{shard}}", shard=TEST_SHARDS),
    output:
        f"{RUN}/diagnostics/figures.json",
    log:
        f"{RUN}/logs/run_figures.log",
    benchmark:
        f"{RUN}/benchmarks/run_figures.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        bins=DIAG["bins"],
        min_hits=DIAG["min_hits"],
        # quoted here: a params string goes into the shell as it is
        ckf=lambda wildcards, input: (
            shlex.join(["--ckf", *input.ckf, "--agreement", input.agreement])
            if _WITH_CKF
            else ""
        ),
        code=command_code("run-figures"),
    shell:
        "trackgnn run-figures --graphs {input.graphs:q} --scored {input.scored:q} --tracks {input.tracks:q} "
        "{params.ckf} --events {input.events:q} --bins {params.bins} --min-hits {params.min_hits} "
        "--out {output:q} > {log:q} 2>&1"


rule sim_to_real:
    input:
        real=f"{RUN}/diagnostics/figures.json",
        simulated=f"{SIM_RUN}/diagnostics/figures.json" if SIM_RUN else [],
    output:
        f"{RUN}/diagnostics/sim_to_real.json",
    log:
        f"{RUN}/logs/sim_to_real.log",
    benchmark:
        f"{RUN}/benchmarks/sim_to_real.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        code=command_code("sim-to-real"),
    shell:
        "trackgnn sim-to-real --real {input.real:q} --simulated {input.simulated:q} --out {output:q} "
        "> {log:q} 2>&1"
