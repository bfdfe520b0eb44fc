/** GET /assets/app.js, /assets/app.css: cached for a year (pages link them with ?v=<hash>). */
import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../../../api/src/auth/auth.decorators';
import type { HttpReply, HttpRequest } from '../../../api/src/http/http-types';
import { Problem } from '../../../api/src/http/problem';
import { assets } from './assets';

@ApiExcludeController()
@Controller('assets')
@Public()
export class AssetsController {
  @Get(':name')
  serve(@Param('name') name: string, @Req() req: HttpRequest, @Res() reply: HttpReply): void {
    const asset = assets().get(name);
    if (!asset) throw Problem.notFound(`no asset ${name}`);
    const etag = `"${asset.hash}"`;
    void reply
      .header('content-type', asset.type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('etag', etag)
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === etag) {
      void reply.status(304).send();
      return;
    }
    const gzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
    if (gzip) void reply.header('content-encoding', 'gzip');
    void reply.status(200).send(gzip ? asset.gzip : asset.body);
  }
}
