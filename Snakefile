# trackgnn: GNN track reconstruction as a Snakemake workflow.
#   snakemake --cores 2                        # default config (config/config.yaml)
#   snakemake --cores 2 --configfile config/trackml_mu200.yaml
#   snakemake --profile workflow/profiles/slurm  # on a SLURM cluster
from snakemake.utils import min_version

min_version("9.0")


configfile: "config/config.yaml"


include: "workflow/rules/common.smk"


wildcard_constraints:
    shard="(train|val|test)-[0-9]{3}",


include: "workflow/rules/data.smk"
include: "workflow/rules/evaluation.smk"
include: "workflow/rules/graphs.smk"
include: "workflow/rules/learning.smk"
include: "workflow/rules/fitting.smk"
include: "workflow/rules/diagnostics.smk"


# Written once the run holds its lock (never in a dry run or a SLURM job step): see common.smk
onstart:
    if not Path(RESOLVED).exists() or Path(RESOLVED).read_text() != RESOLVED_TEXT:
        atomic_write_text(RESOLVED, RESOLVED_TEXT)
    # what produced the outputs (command, code commit), for the generated result pages
    write_json(f"{RUN}/provenance.json", run_record(Path(workflow.basedir)))


rule all:
    default_target: True
    input:
        REPORT_OUTPUTS,
