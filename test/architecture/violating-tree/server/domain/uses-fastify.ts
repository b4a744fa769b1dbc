import type { FastifyReply } from 'fastify';
export const send = (reply: FastifyReply) => reply.send('x');
