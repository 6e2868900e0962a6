# Kalman fit of the GNN track candidates with ACTS (trackgnn fit-tracks, config section fitting).


rule fit_tracks:
    input:
        events=f"{RUN}/events/{{shard}}",
        tracks=f"{RUN}/tracks/gnn/{{shard}}.csv",
    output:
        tracks=f"{RUN}/tracks/gnn_kf/{{shard}}.csv",
        params=f"{RUN}/tracks/gnn_kf/{{shard}}.params.csv",
        timing=f"{RUN}/tracks/gnn_kf/{{shard}}.timing.json",
    log:
        f"{RUN}/logs/fit_tracks/{{shard}}.log",
    benchmark:
        f"{RUN}/benchmarks/fit_tracks/{{shard}}.tsv"
    conda:
        CONDA_ENV
    threads: 1
    resources:
        **resources_of("cpu"),
    params:
        cfg=RESOLVED,
        fitting=config["fitting"],
        bfield=config["simulation"]["bfield_t"],
        code=command_code("fit-tracks"),
    shell:
        "trackgnn fit-tracks --config {params.cfg:q} --events-dir {input.events:q} --tracks {input.tracks:q} "
        "--out {output.tracks:q} --params {output.params:q} --timing {output.timing:q} > {log:q} 2>&1"
