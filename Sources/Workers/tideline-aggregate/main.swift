// tideline-aggregate: the aggregate stage as a worker process. Everything it does lives in Runtime and Stages.
import Queue
import Runtime

WorkerMain.run(stage: .aggregate)
