// Kubernetes as a remote engine (filled in below in this branch).
import { RemoteEngineError, type RemoteEngine } from '../remote-engine.ts';

const todo = async (): Promise<never> => {
  throw new RemoteEngineError('deploying to Kubernetes is not available yet');
};

export const kubernetesEngine: RemoteEngine = { deploy: todo, undeploy: todo, trigger: todo, poll: todo, cancel: todo };
