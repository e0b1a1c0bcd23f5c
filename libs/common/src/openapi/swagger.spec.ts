import 'reflect-metadata';

describe('API decorators', () => {
  /** A fresh copy of the module, as a service process (or the document's builder) loads it. */
  const freshDecorators = () => {
    let module!: typeof import('./swagger');
    jest.isolateModules(() => {
      module = require('./swagger');
    });
    return module;
  };
  const describedTags = (target: object) => Reflect.getMetadata('swagger/apiUseTags', target) as unknown;

  it('write nothing in a service, which never builds the document', () => {
    const { ApiTags } = freshDecorators();
    @ApiTags('posts')
    class PostsController {}
    expect(describedTags(PostsController)).toBeUndefined();
  });

  it('describe what they decorate once describingApi() was called', () => {
    const { ApiTags, describingApi } = freshDecorators();
    describingApi();
    @ApiTags('posts')
    class PostsController {}
    expect(describedTags(PostsController)).toEqual(['posts']);
  });
});
