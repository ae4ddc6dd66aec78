import { Workflow, type INode, type INodeType, type IVersionedNodeType } from 'n8n-workflow';

/**
 * A workflow holding one node of one type, for n8n contexts that need a Workflow around the node
 * (list search, a resume webhook) but run no execution.
 */
export function oneNodeWorkflow(id: string, name: string, node: INode, nodeType: INodeType | IVersionedNodeType): Workflow {
	return new Workflow({
		id,
		name,
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: {
			getByName: () => nodeType,
			getByNameAndVersion: () => nodeType as INodeType,
			getKnownTypes: () => ({}),
		},
		settings: { executionOrder: 'v1' },
	});
}
