// This repository's `synth`: the Stratus command line with this organisation's Stacks/.
import Stacks
import StratusCLI

StratusCLI.main(define: Infrastructure.define)
