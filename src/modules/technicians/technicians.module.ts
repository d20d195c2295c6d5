import { Module } from '@nestjs/common';
import { FilesModule } from '../../platform/files/files.module';
import { LocationThrottle } from './location-throttle';
import { PublicTechniciansController } from './public-technicians.controller';
import { PublicTechniciansService } from './public-technicians.service';
import { ServiceSkills } from './service-skills';
import { TechnicianCertificatesController } from './technician-certificates.controller';
import { TechnicianCertificatesRepository } from './technician-certificates.repository';
import { TechnicianCertificatesService } from './technician-certificates.service';
import { TechnicianFiles } from './technician-files';
import { TechnicianNoticeJob } from './technician-notice.job';
import { TechnicianNotifier } from './technician-notifier';
import { TechnicianPii } from './technician-pii';
import { TechnicianSelfController } from './technician-self.controller';
import { TechnicianSelfService } from './technician-self.service';
import { TechnicianTiersController } from './technician-tiers.controller';
import { TechnicianTiersRepository } from './technician-tiers.repository';
import { TechnicianTiersService } from './technician-tiers.service';
import { TechniciansController } from './technicians.controller';
import { TechniciansRepository } from './technicians.repository';
import { TechniciansService } from './technicians.service';

/** Technician onboarding and review, certificate verification, staff management, tiers, duty status and position. */
@Module({
  imports: [FilesModule],
  controllers: [
    PublicTechniciansController,
    TechnicianSelfController,
    TechniciansController,
    TechnicianTiersController,
    TechnicianCertificatesController,
  ],
  providers: [
    TechniciansRepository,
    TechnicianTiersRepository,
    TechniciansService,
    TechnicianSelfService,
    TechnicianTiersService,
    TechnicianCertificatesRepository,
    TechnicianCertificatesService,
    PublicTechniciansService,
    TechnicianPii,
    TechnicianFiles,
    TechnicianNotifier,
    TechnicianNoticeJob,
    LocationThrottle,
    ServiceSkills,
  ],
  exports: [TechniciansRepository],
})
export class TechniciansModule {}
