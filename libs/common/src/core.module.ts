import { DynamicModule, Global, Module } from '@nestjs/common';
import { BaseConfig } from '@app/config';

/** What every service shares: its validated config, injectable as BaseConfig and as its own class. */
@Global()
@Module({})
export class CoreModule {
  static forRoot(config: BaseConfig): DynamicModule {
    const configType = config.constructor as new () => BaseConfig;
    const aliases = configType === BaseConfig ? [] : [{ provide: BaseConfig, useExisting: configType }];
    return {
      module: CoreModule,
      providers: [{ provide: configType, useValue: config }, ...aliases],
      exports: [configType, ...(configType === BaseConfig ? [] : [BaseConfig])],
    };
  }
}
