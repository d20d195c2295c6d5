import { Module } from '@nestjs/common';
import { OrdersModule } from '../orders/orders.module';
import { PublicReviewsController } from './public-reviews.controller';
import { ReviewsController } from './reviews.controller';
import { ReviewsRepository } from './reviews.repository';
import { ReviewsService } from './reviews.service';

/** Reviews (评价) of completed orders, store replies, abuse reports and technician ratings. */
@Module({
  imports: [OrdersModule],
  controllers: [ReviewsController, PublicReviewsController],
  providers: [ReviewsRepository, ReviewsService],
})
export class ReviewsModule {}
